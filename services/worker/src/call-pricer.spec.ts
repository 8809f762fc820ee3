import { parseConfig, type Deployment } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { callPricer } from './call-pricer';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: overridden',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k, input_cost_per_token: 0.00001, output_cost_per_token: 0.00002 }',
    '  - model_name: table',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
    '  - model_name: unknown',
    '    litellm_params: { model: openai/not-a-real-model-xyz, api_key: k }',
  ].join('\n'),
  { env: {} },
);
const deployment = (model: string) => config.models[model]?.deployments[0] as Deployment;

describe('callPricer', () => {
  it('prices an estimate and a real usage at the deployment override', () => {
    expect(callPricer.estimate(deployment('overridden'), 10, 50)).toBeCloseTo(0.0011, 12);
    const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };
    expect(callPricer.actual(deployment('overridden'), usage)).toBeCloseTo(0.00026, 12);
  });

  it("uses the price table's entry when the deployment sets none", () => {
    const table = callPricer.estimate(deployment('table'), 1_000_000, 0);
    expect(table).toBeGreaterThan(0);
    expect(table).not.toBeCloseTo(10, 6);
  });

  it('answers null for a model without a price', () => {
    expect(callPricer.estimate(deployment('unknown'), 10, 10)).toBeNull();
    expect(
      callPricer.actual(deployment('unknown'), {
        prompt_tokens: 1,
        completion_tokens: 1,
        total_tokens: 2,
      }),
    ).toBeNull();
  });
});
