/** The markdown table of the gateway benchmark (test/bench/gateway.bench.ts). */
import { percentile, type RunResult } from './fixed-time-run';

/** The ways a call is made, in the order they are compared. */
export const GatewayPaths = {
  direct: 'direct',
  client: 'Switchyard client',
  gateway: 'gateway (HTTP)',
  natsRequest: 'gateway (plain NATS request)',
} as const;
export type GatewayPath = (typeof GatewayPaths)[keyof typeof GatewayPaths];

/** One measured row. */
export interface GatewayRow {
  path: GatewayPath;
  /** Where the processes ran, when not on every core (printed after the path). */
  placement?: string;
  concurrency: number;
  stream: boolean;
  result: RunResult;
  cpu: { name: string; percent: number }[];
}

const fmt = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : '–');
const signed = (value: number): string =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : '–';

/**
 * Latency and throughput per row, what each path adds over the one it builds on (the client over
 * direct, the gateway's HTTP and NATS endpoints over the client) at p50 / p99, time to first
 * chunk, and CPU per process.
 */
export function formatGatewayReport(rows: readonly GatewayRow[]): string {
  const buildsOn: Record<GatewayPath, GatewayPath | undefined> = {
    [GatewayPaths.direct]: undefined,
    [GatewayPaths.client]: GatewayPaths.direct,
    [GatewayPaths.gateway]: GatewayPaths.client,
    [GatewayPaths.natsRequest]: GatewayPaths.client,
  };
  const find = (path: GatewayPath | undefined, like: GatewayRow): GatewayRow | undefined =>
    rows.find(
      (r) =>
        r.path === path &&
        r.concurrency === like.concurrency &&
        r.stream === like.stream &&
        r.placement === like.placement,
    );
  const lines = [
    '| path | concurrency | calls/s | p50 ms | p99 ms | added over the path it builds on p50 / p99 ms | first text chunk p50 / p99 ms | added first text chunk p50 / p99 ms | CPU % of a core |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const r = row.result;
    const base = find(buildsOn[row.path], row);
    const diff = (own: number[], other: number[] | undefined): string =>
      other === undefined
        ? ''
        : `${signed(percentile(own, 50) - percentile(other, 50))} / ${signed(percentile(own, 99) - percentile(other, 99))}`;
    const chunk = row.stream
      ? `${fmt(percentile(r.firstChunkMs, 50))} / ${fmt(percentile(r.firstChunkMs, 99))}`
      : '';
    const cpu = row.cpu.map((entry) => `${entry.name} ${entry.percent.toFixed(0)}`).join(', ');
    lines.push(
      `| ${row.path}${row.stream ? ' (stream)' : ''}${row.placement === undefined ? '' : `, ${row.placement}`} | ${row.concurrency} | ${r.perSecond.toFixed(0)} | ${fmt(percentile(r.totalMs, 50))} | ${fmt(percentile(r.totalMs, 99))} | ${diff(r.totalMs, base?.result.totalMs)} | ${chunk} | ${row.stream ? diff(r.firstChunkMs, base?.result.firstChunkMs) : ''} | ${cpu} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
