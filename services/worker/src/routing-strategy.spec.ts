import { parseConfig, type Deployment } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { DeploymentBoard } from './deployment-board';
import { routingScore } from './routing-strategy';

function deployments(entries: string[]): Deployment[] {
  const yaml = [
    'model_list:',
    ...entries.map((params, i) =>
      [
        '  - model_name: m',
        `    litellm_params: { model: ${params} }`,
        `    model_info: { id: d${i} }`,
      ].join('\n'),
    ),
  ].join('\n');
  return [...(parseConfig(yaml, { env: {} }).config.models['m']?.deployments ?? [])];
}

describe('routingScore', () => {
  const ds = deployments([
    'openai/gpt-4o, api_key: k, tpm: 1000',
    'openai/gpt-4o-mini, api_key: k, rpm: 10',
    'openai/not-a-priced-model, api_key: k',
  ]);
  const [d0, d1, d2] = ds as [Deployment, Deployment, Deployment];
  const scores = (strategy: Parameters<typeof routingScore>[0], board: DeploymentBoard) => {
    const score = routingScore(strategy, board);
    return score === undefined ? undefined : ds.map(score);
  };

  it('gives no score for simple-shuffle', () => {
    expect(scores('simple-shuffle', new DeploymentBoard(ds, 4))).toBeUndefined();
  });

  it('least-busy: calls in flight', () => {
    const board = new DeploymentBoard(ds, 4);
    board.tryAcquire('d0');
    board.tryAcquire('d0');
    board.tryAcquire('d2');
    expect(scores('least-busy', board)).toEqual([2, 0, 1]);
  });

  it('latency-based-routing: moving average of ms per completion token, untried first', () => {
    const board = new DeploymentBoard(ds, 4);
    board.recordAnswer('d0', 1000, 10, 20);
    board.recordAnswer('d0', 2000, 10, 20);
    board.recordAnswer('d1', 300, 10, 20);
    const [a, b, c] = scores('latency-based-routing', board) ?? [];
    expect(a).toBeCloseTo(100 + 0.3 * (200 - 100));
    expect([b, c]).toEqual([30, 0]);
  });

  it('usage-based-routing: the share of tpm, else rpm, else tokens used this minute', () => {
    let now = 60_000 * 100;
    const board = new DeploymentBoard(ds, 4, () => now);
    board.recordAnswer('d0', 100, 10, 250);
    board.recordAnswer('d1', 100, 10, 250);
    board.recordAnswer('d2', 100, 10, 250);
    for (const strategy of ['usage-based-routing', 'usage-based-routing-v2'] as const) {
      expect(scores(strategy, board)).toEqual([0.25, 0.1, 250]);
    }
    now += 60_000;
    expect(scores('usage-based-routing', board)).toEqual([0, 0, 0]);
    expect(d0.tpm).toBe(1000);
    expect(d1.rpm).toBe(10);
  });

  it('cost-based-routing: price per input plus output token, unpriced last', () => {
    const [full, mini, unpriced] = scores('cost-based-routing', new DeploymentBoard(ds, 4)) ?? [];
    expect(mini).toBeLessThan(full ?? 0);
    expect(unpriced).toBe(Number.POSITIVE_INFINITY);
    expect(d2.providerModel).toBe('not-a-priced-model');
  });
});
