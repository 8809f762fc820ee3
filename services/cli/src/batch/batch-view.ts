import type { BatchObject } from '@switchyard/batches';
import { isoTime, textTable } from '../text-table';
import { formatSeconds } from './batch-progress';

/** A unix-seconds time of a batch as ISO 8601, or `-` when it has not happened. */
const when = (unixSeconds: number | null) =>
  unixSeconds === null ? '-' : isoTime(unixSeconds * 1000);

/** The request counts of a batch: `12 total, 11 completed, 1 failed`. */
function countsText({ request_counts: c }: BatchObject): string {
  return `${c.total} total, ${c.completed} completed, ${c.failed} failed`;
}

/** The times a batch has, in lifecycle order, labelled (those still null are left out). */
function timeLines(batch: BatchObject): [string, string][] {
  const times: [string, number | null][] = [
    ['created', batch.created_at],
    ['in progress', batch.in_progress_at],
    ['finalizing', batch.finalizing_at],
    ['completed', batch.completed_at],
    ['failed', batch.failed_at],
    ['cancelling', batch.cancelling_at],
    ['cancelled', batch.cancelled_at],
    ['expired', batch.expired_at],
    ['expires', batch.expires_at],
  ];
  return times
    .filter(([label, at]) => at !== null || label === 'created')
    .map(([label, at]) => [label, when(at)]);
}

/**
 * What `switchyard batch status` prints: the id and status, then labelled lines with the
 * request counts, the file ids, the times that have happened, the metadata and the problems
 * found in its input.
 */
export function batchStatusLines(batch: BatchObject): string[] {
  const fields: [string, string][] = [
    ['requests', countsText(batch)],
    ['input file', batch.input_file_id],
    ['output file', batch.output_file_id ?? '-'],
    ['error file', batch.error_file_id ?? '-'],
    ...timeLines(batch),
  ];
  if (batch.metadata !== null && Object.keys(batch.metadata).length > 0) {
    const entries = Object.entries(batch.metadata).map(([key, value]) => `${key}=${value}`);
    fields.push(['metadata', entries.join(', ')]);
  }
  const width = Math.max(...fields.map(([label]) => label.length));
  const lines = [`${batch.id}  ${batch.status}`];
  for (const [label, value] of fields) lines.push(`  ${label.padEnd(width)}  ${value}`);
  const problems = batch.errors?.data ?? [];
  if (problems.length > 0) {
    lines.push(`  ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const problem of problems) {
      const where = problem.line === null ? '' : `line ${problem.line}: `;
      lines.push(`    ${where}${problem.message} (${problem.code})`);
    }
  }
  return lines;
}

/** The table of `switchyard batch list`: one row per batch, in the order given. */
export function batchListLines(batches: readonly BatchObject[]): string[] {
  return textTable(
    ['ID', 'STATUS', 'CREATED', 'DONE', 'FAILED', 'INPUT FILE'],
    batches.map((batch) => [
      batch.id,
      batch.status,
      when(batch.created_at),
      `${batch.request_counts.completed + batch.request_counts.failed}/${batch.request_counts.total}`,
      String(batch.request_counts.failed),
      batch.input_file_id,
    ]),
  );
}

/**
 * One progress line of `switchyard batch status --watch` off a terminal: the status, then
 * the answered requests out of the total once the runner has counted them.
 */
export function batchProgressLine(batch: BatchObject): string {
  const { total, completed, failed } = batch.request_counts;
  if (total === 0) return `${batch.id} ${batch.status}`;
  const percent = Math.floor(((completed + failed) * 100) / total);
  return `${batch.id} ${batch.status}: ${completed + failed}/${total} done (${percent}%), ${failed} failed`;
}

/** Where the answered count of a watched batch stood when the watch began. */
export interface WatchStart {
  answered: number;
  atMs: number;
}

/**
 * The time left of a watched batch at the rate it was answered since the watch began: `0s`
 * when every line is answered, `?` before the runner has counted them or while nothing was
 * answered in the watch.
 */
export function etaText(start: WatchStart, batch: BatchObject, nowMs: number): string {
  const { total, completed, failed } = batch.request_counts;
  const answered = completed + failed;
  if (total > 0 && answered >= total) return '0s';
  const rate = (answered - start.answered) / (nowMs - start.atMs);
  if (total === 0 || !(rate > 0)) return '?';
  return formatSeconds((total - answered) / rate / 1000);
}
