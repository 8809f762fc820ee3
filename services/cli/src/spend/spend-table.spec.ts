import type { SpendAnswer } from '@switchyard/client';
import { describe, expect, it } from 'vitest';
import { formatUsd, spendTable } from './spend-table';

const row = (key: string, requests: number, costPicos: string, unknown = 0) => ({
  key,
  requests,
  errors: 1,
  errors_by_type: { rate_limit: 1 },
  cache_hits: 0,
  prompt_tokens: 1000 * requests,
  completion_tokens: 10,
  cached_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: Number(costPicos) / 1e12,
  cost_picos: costPicos,
  cost_saved_usd: 0,
  cost_saved_picos: '0',
  unknown_cost_requests: unknown,
});

const answer = (rows: SpendAnswer['rows'], by: SpendAnswer['by'] = 'model'): SpendAnswer => ({
  ok: true,
  by,
  since: Date.UTC(2026, 0, 1),
  until: Date.UTC(2026, 0, 8),
  rows,
});

describe('formatUsd', () => {
  it('rounds pico-dollars to micro-dollars, beyond 2^53', () => {
    expect(formatUsd('0')).toBe('$0.000000');
    expect(formatUsd('11550000')).toBe('$0.000012');
    expect(formatUsd('2500000000000')).toBe('$2.500000');
    expect(formatUsd('123456789012345678901')).toBe('$123456789.012346');
  });
});

describe('spendTable', () => {
  it('prints the window, one line per row, a total, and a note on unpriced calls', () => {
    const lines = spendTable(answer([row('gpt-4o', 2, '5000000000000'), row('local', 3, '0', 3)]));
    expect(lines[0]).toBe(
      'spend by model, all tenants, 2026-01-01T00:00:00Z to 2026-01-08T00:00:00Z',
    );
    expect(lines[1]).toMatch(/^MODEL\s+REQUESTS\s+ERRORS\s+PROMPT.*COST$/);
    expect(lines[2]).toMatch(/^gpt-4o\s+2\s+1\s+2,000\s.*\$5\.000000$/);
    expect(lines[3]).toMatch(/^local\s+3\s+1\s+3,000\s.*\s3\s+\$0\.000000\s+\$0\.000000$/);
    expect(lines[4]).toMatch(/^TOTAL\s+5\s+2\s+5,000\s.*\$5\.000000$/);
    expect(lines[5]).toMatch(/no known price/);
  });

  it('has no total for tags, and says when there is no usage', () => {
    expect(spendTable(answer([row('x', 1, '1')], 'tag')).some((l) => l.startsWith('TOTAL'))).toBe(
      false,
    );
    expect(spendTable(answer([]))).toEqual([
      'spend by model, all tenants, 2026-01-01T00:00:00Z to 2026-01-08T00:00:00Z',
      'no usage in this window',
    ]);
  });
});
