import { parseConfig, type Deployment } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { rankDeployments } from './deployment-picker';

function deployments(entries: string[]): Deployment[] {
  const yaml = [
    'model_list:',
    ...entries.map((extra, i) =>
      [
        '  - model_name: m',
        '    litellm_params:',
        '      model: openai/gpt-4o-mini',
        '      api_key: k',
        ...(extra === '' ? [] : extra.split(',').map((kv) => `      ${kv.trim()}`)),
        '    model_info:',
        `      id: d${i}`,
      ].join('\n'),
    ),
  ].join('\n');
  return [...(parseConfig(yaml, { env: {} }).config.models['m']?.deployments ?? [])];
}

/** A random source that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('rankDeployments', () => {
  it('puts the lowest order first and deployments without order last', () => {
    const ds = deployments(['', 'order: 2', 'order: 1']);
    expect(rankDeployments(ds, () => 0).map((d) => d.id)).toEqual(['d2', 'd1', 'd0']);
  });

  it('draws within an order group by weight', () => {
    const ds = deployments(['weight: 1', 'weight: 3']);
    // total 4: a draw below 1/4 picks d0, above picks d1
    expect(rankDeployments(ds, sequence(0.1, 0)).map((d) => d.id)).toEqual(['d0', 'd1']);
    expect(rankDeployments(ds, sequence(0.5, 0)).map((d) => d.id)).toEqual(['d1', 'd0']);
  });

  it('follows the weights over many draws', () => {
    const ds = deployments(['weight: 1', 'weight: 3']);
    let firstIsHeavy = 0;
    for (let i = 0; i < 4000; i += 1) if (rankDeployments(ds)[0]?.id === 'd1') firstIsHeavy += 1;
    expect(firstIsHeavy / 4000).toBeGreaterThan(0.7);
    expect(firstIsHeavy / 4000).toBeLessThan(0.8);
  });

  it("sorts each order group by the strategy's score, the draw breaking ties", () => {
    const ds = deployments(['order: 1', 'order: 1', 'order: 1', 'order: 2']);
    const score = (d: Deployment) => ({ d0: 5, d1: 1, d2: 5, d3: 0 })[d.id] ?? 0;
    expect(rankDeployments(ds, () => 0, score).map((d) => d.id)).toEqual(['d1', 'd0', 'd2', 'd3']);
    expect(rankDeployments(ds, sequence(0.9, 0), score).map((d) => d.id)).toEqual([
      'd1',
      'd2',
      'd0',
      'd3',
    ]);
  });

  it('returns nothing for no deployments', () => {
    expect(rankDeployments([])).toEqual([]);
  });
});
