import type { Writable } from 'node:stream';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  DeadLetterReplayError,
  listDeadLetters,
  replayDeadLetter,
  type DeadLetterEntry,
  type DeadLetterLocation,
} from '@switchyard/client';
import { UserError } from '@switchyard/entrypoint';
import { isoTime, textTable } from '../text-table';

/** What the dlq commands need. */
export interface DlqContext {
  js: JetStreamClient;
  location: Required<DeadLetterLocation>;
  out: Writable;
}

/** Filters of `dlq list` (and of finding a job's dead letter for `dlq replay`). */
export interface DlqFilter {
  model?: string;
  tenant?: string;
}

const print = (out: Writable, lines: readonly string[]) => out.write(`${lines.join('\n')}\n`);

/** The table rows of dead letters: seq, when, tenant, model, job, error, attempt, reply subject. */
export function deadLetterTable(entries: readonly DeadLetterEntry[]): string[] {
  return textTable(
    ['SEQ', 'STORED', 'TENANT', 'MODEL', 'JOB', 'ERROR', 'ATTEMPT', 'REPLY TO'],
    entries.map((entry) =>
      entry.ok
        ? [
            String(entry.seq),
            isoTime(entry.storedAtMs),
            entry.job.tenant,
            entry.job.model,
            entry.job.id,
            entry.errorType,
            entry.attempt === null ? '-' : String(entry.attempt),
            entry.replyTo ?? '-',
          ]
        : [
            String(entry.seq),
            isoTime(entry.storedAtMs),
            '?',
            '?',
            entry.jobId ?? '?',
            `unreadable: ${entry.reason}`,
            '-',
            entry.replyTo ?? '-',
          ],
    ),
  );
}

/** `dlq list`: the oldest `limit` dead letters matching the filter. */
export async function listDlq(
  context: DlqContext,
  filter: DlqFilter & { limit: number },
): Promise<number> {
  const entries = await listDeadLetters(context.js, { ...context.location, ...filter });
  print(context.out, entries.length === 0 ? ['No dead letters.'] : deadLetterTable(entries));
  return 0;
}

const pageSize = 1_000;

/** Every stored dead letter of job `jobId` matching the filter, oldest first. */
async function deadLettersOfJob(
  context: DlqContext,
  jobId: string,
  filter: DlqFilter,
): Promise<DeadLetterEntry[]> {
  const found: DeadLetterEntry[] = [];
  let fromSeq = 1;
  for (;;) {
    const page = await listDeadLetters(context.js, {
      ...context.location,
      ...filter,
      fromSeq,
      limit: pageSize,
    });
    found.push(...page.filter((entry) => (entry.ok ? entry.job.id : entry.jobId) === jobId));
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return found;
    fromSeq = last.seq + 1;
  }
}

/**
 * `dlq replay <seq|job id>`: a number is a dead-letter sequence; anything else a job id, whose
 * newest dead letter is replayed (a job that failed again after a replay has several).
 */
export async function replayDlq(
  context: DlqContext,
  target: string,
  filter: DlqFilter,
): Promise<number> {
  let seq: number;
  if (/^\d+$/.test(target)) seq = Number(target);
  else {
    const entries = await deadLettersOfJob(context, target, filter);
    const newest = entries.at(-1);
    if (newest === undefined) {
      throw new UserError(`no dead letter of job ${JSON.stringify(target)}`);
    }
    seq = newest.seq;
    if (entries.length > 1) {
      print(context.out, [
        `Job ${target} has ${entries.length} dead letters (seq ${entries.map((e) => e.seq).join(', ')}); replaying the newest.`,
      ]);
    }
  }
  try {
    const replayed = await replayDeadLetter(context.js, seq, context.location);
    print(context.out, [
      `Replayed dead letter ${seq}: job ${replayed.jobId} sent again to ${replayed.model}` +
        `${replayed.ack.duplicate ? ' (already replayed within the duplicate window; stored once)' : ''}.`,
      `Its answer goes to ${replayed.replyTo ?? 'nobody (no reply subject)'}.`,
    ]);
    return 0;
  } catch (error) {
    if (error instanceof DeadLetterReplayError) throw new UserError(error.message);
    throw error;
  }
}
