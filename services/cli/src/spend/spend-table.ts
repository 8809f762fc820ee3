import type { SpendAnswer } from '@switchyard/client';
import { isoTime, textTable } from '../text-table';

/** Whole pico-dollars as dollars with 6 decimals, rounded half up (`$12.345679`). */
export function formatUsd(picos: string): string {
  const micros = (BigInt(picos) + 500_000n) / 1_000_000n;
  const dollars = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `$${dollars}.${fraction}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The lines `switchyard spend` prints: a title with the window, a table of the rows (by
 * descending cost) and a total. Calls with no known price are counted in UNPRICED and are
 * not in COST (never counted as free).
 */
export function spendTable(answer: SpendAnswer): string[] {
  const scope = answer.tenant === undefined ? 'all tenants' : `tenant ${answer.tenant}`;
  const title = `spend by ${answer.by}, ${scope}, ${isoTime(answer.since)} to ${isoTime(answer.until)}`;
  if (answer.rows.length === 0) return [title, 'no usage in this window'];
  const header = [
    answer.by.toUpperCase(),
    'REQUESTS',
    'ERRORS',
    'PROMPT',
    'COMPLETION',
    'CACHED',
    'REASONING',
    'UNPRICED',
    'SAVED',
    'COST',
  ];
  const sum = (pick: (row: SpendAnswer['rows'][number]) => number) =>
    answer.rows.reduce((total, row) => total + pick(row), 0);
  const sumPicos = (pick: (row: SpendAnswer['rows'][number]) => string) =>
    answer.rows.reduce((total, row) => total + BigInt(pick(row)), 0n).toString();
  const line = (key: string, values: number[], saved: string, cost: string) => [
    key,
    ...values.map(count),
    formatUsd(saved),
    formatUsd(cost),
  ];
  const rows = answer.rows.map((row) =>
    line(
      row.key,
      [
        row.requests,
        row.errors,
        row.prompt_tokens,
        row.completion_tokens,
        row.cached_tokens,
        row.reasoning_tokens,
        row.unknown_cost_requests,
      ],
      row.cost_saved_picos,
      row.cost_picos,
    ),
  );
  // Tags overlap (a call with two tags counts under both), so they have no total.
  const total =
    answer.by === 'tag'
      ? []
      : [
          line(
            'TOTAL',
            [
              sum((r) => r.requests),
              sum((r) => r.errors),
              sum((r) => r.prompt_tokens),
              sum((r) => r.completion_tokens),
              sum((r) => r.cached_tokens),
              sum((r) => r.reasoning_tokens),
              sum((r) => r.unknown_cost_requests),
            ],
            sumPicos((r) => r.cost_saved_picos),
            sumPicos((r) => r.cost_picos),
          ),
        ];
  const lines = [title, ...textTable(header, [...rows, ...total])];
  if (answer.rows.some((row) => row.unknown_cost_requests > 0)) {
    lines.push('UNPRICED calls have no known price; their cost is not in COST.');
  }
  return lines;
}
