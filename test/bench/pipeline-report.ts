/** The markdown tables of the queue-hop benchmark (test/bench/pipeline.bench.ts). */
import { median, percentile, type RunResult } from './fixed-time-run';

/** One measured row. */
export interface Row {
  path: string;
  concurrency: number;
  stream: boolean;
  /** The simulator's delay per streamed token during the row, ms (0: none). */
  tokenMs: number;
  result: RunResult;
  /** Each watched process's share of one core during the row (warm-up included). */
  cpu: { name: string; percent: number }[];
}

const fmt = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '–');
const label = (row: Row): string => {
  if (!row.stream) return row.path;
  return row.tokenMs > 0
    ? `${row.path} (stream, ${row.tokenMs} ms per token)`
    : `${row.path} (stream)`;
};
const signed = (value: number): string =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : '–';

/**
 * The benchmark's markdown: latency and added latency per row, where a non-streaming job's
 * time goes by Switchyard's own timings, CPU per process, and the bare JetStream PubAck time.
 */
export function formatReport(rows: readonly Row[], ack: RunResult): string {
  const baseline = (row: Row): Row | undefined =>
    rows.find(
      (other) =>
        other.path === 'direct' &&
        other.concurrency === row.concurrency &&
        other.stream === row.stream &&
        other.tokenMs === row.tokenMs,
    );
  const floor = (row: Row): string => {
    const raw = rows.find((o) => o.path === 'raw JetStream' && o.concurrency === row.concurrency);
    return raw === undefined || row.stream || row.path.startsWith('raw') || row.path === 'direct'
      ? ''
      : `${((row.result.perSecond / raw.result.perSecond) * 100).toFixed(0)} %`;
  };
  const lines = [
    '| path | concurrency | jobs/s | of raw JetStream | p50 ms | p99 ms | added p50 ms | added p99 ms | first text chunk p50 / p99 ms | added first text chunk p50 / p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const base = row.path === 'direct' || row.path === 'raw JetStream' ? undefined : baseline(row);
    const r = row.result;
    const p = (values: number[], q: number): number => percentile(values, q);
    const added = (q: number): string =>
      base === undefined ? '' : signed(p(r.totalMs, q) - p(base.result.totalMs, q));
    const chunk = row.stream ? `${fmt(p(r.firstChunkMs, 50))} / ${fmt(p(r.firstChunkMs, 99))}` : '';
    const addedChunk =
      row.stream && base !== undefined
        ? `${signed(p(r.firstChunkMs, 50) - p(base.result.firstChunkMs, 50))} / ${signed(p(r.firstChunkMs, 99) - p(base.result.firstChunkMs, 99))}`
        : '';
    lines.push(
      `| ${label(row)} | ${row.concurrency} | ${r.perSecond.toFixed(0)} | ${floor(row)} | ${fmt(p(r.totalMs, 50))} | ${fmt(p(r.totalMs, 99))} | ${added(50)} | ${added(99)} | ${chunk} | ${addedChunk} |`,
    );
  }
  lines.push(
    '',
    'Where the time of a non-streaming job goes (medians, ms; Switchyard clocks are whole ms):',
    '',
  );
  lines.push(
    '| path | concurrency | client total | queue_ms (publish → worker takes it) | provider_ms | rest of worker (total_ms − queue − provider) | reply to client (client total − total_ms) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const row of rows) {
    const timed = row.result.samples.flatMap((sample) =>
      sample.timings === undefined ? [] : [{ client: sample.totalMs, ...sample.timings }],
    );
    if (timed.length === 0) continue;
    lines.push(
      `| ${row.path} | ${row.concurrency} | ${fmt(median(timed.map((t) => t.client)))} | ${fmt(median(timed.map((t) => t.queueMs)))} | ${fmt(median(timed.map((t) => t.providerMs)))} | ${fmt(median(timed.map((t) => t.totalMs - t.queueMs - t.providerMs)))} | ${fmt(median(timed.map((t) => t.client - t.totalMs)))} |`,
    );
  }
  if (rows.some((row) => row.cpu.length > 0)) {
    lines.push(
      '',
      'CPU of each process during the row, % of one core (2 cores = 200 %), and CPU per job summed over them (ms):',
      '',
    );
    lines.push('| path | concurrency | CPU | CPU per job ms |', '| --- | --- | --- | --- |');
    for (const row of rows) {
      const cpu = row.cpu.map((entry) => `${entry.name} ${entry.percent.toFixed(0)}`).join(', ');
      const total = row.cpu.reduce((sum, entry) => sum + entry.percent, 0);
      const perJob = (total * 10) / row.result.perSecond;
      lines.push(`| ${label(row)} | ${row.concurrency} | ${cpu} | ${fmt(perJob)} |`);
    }
  }
  lines.push(
    '',
    `JetStream publish → PubAck alone (memory stream, message id, concurrency 1): p50 ${fmt(percentile(ack.totalMs, 50))} ms, p99 ${fmt(percentile(ack.totalMs, 99))} ms`,
  );
  return `${lines.join('\n')}\n`;
}
