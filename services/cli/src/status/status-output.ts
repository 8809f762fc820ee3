import { isoTime, textTable } from '../text-table';
import type { InstallationStatus } from './gather-status';

function inFlightText(inFlight: Record<string, number>): string {
  const entries = Object.entries(inFlight);
  if (entries.length === 0) return '-';
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `${total} (${entries.map(([model, n]) => `${model}: ${n}`).join(', ')})`;
}

/** The `switchyard status` report: pools, model consumers, deployments. */
export function statusReport(status: InstallationStatus, now: number): string[] {
  const pools =
    status.pools.length === 0
      ? ['  none answered (no worker or fallback router is running for this config)']
      : textTable(
          ['SERVICE', 'PROVIDER', 'ID', 'IN FLIGHT', 'STARTED'],
          status.pools.map((pool) => [
            pool.service,
            pool.provider ?? '-',
            pool.id,
            inFlightText(pool.inFlight),
            pool.started === undefined ? '-' : pool.started.replace(/\.\d+Z$/, 'Z'),
          ]),
        ).map((line) => `  ${line}`);
  const consumers = textTable(
    ['MODEL', 'PENDING', 'ACK PENDING', 'REDELIVERED', 'WAITING PULLS'],
    status.consumers.map((c) =>
      'missing' in c
        ? [c.model, 'not provisioned', '-', '-', '-']
        : [
            c.model,
            String(c.pending),
            String(c.ackPending),
            String(c.redelivered),
            String(c.waiting),
          ],
    ),
  ).map((line) => `  ${line}`);
  const deployments = textTable(
    ['DEPLOYMENT', 'MODEL', 'PROVIDER', 'STATE'],
    status.deployments.map((d) => [
      d.deployment,
      d.model,
      d.provider,
      d.coolingDownUntil === undefined
        ? 'healthy'
        : `cooling down until ${isoTime(d.coolingDownUntil)} (${Math.max(0, Math.ceil((d.coolingDownUntil - now) / 1000))} s)`,
    ]),
  ).map((line) => `  ${line}`);
  return ['Pools', ...pools, '', 'Model queues', ...consumers, '', 'Deployments', ...deployments];
}
