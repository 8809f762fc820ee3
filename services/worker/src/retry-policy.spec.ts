import { parseConfig, type Deployment } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { retryBudget, retryDelayMs } from './retry-policy';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k, max_retries: 4 }',
    'router_settings:',
    '  retry_policy: { RateLimitErrorRetries: 1 }',
  ].join('\n'),
  { env: {} },
);
const deployment = config.models['m']?.deployments[0] as Deployment;

describe('retryBudget', () => {
  it("is the deployment's max_retries unless retry_policy names the type", () => {
    expect(retryBudget(deployment, 'server', config.router)).toBe(4);
    expect(retryBudget(deployment, 'rate_limit', config.router)).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('honours Retry-After', () => {
    expect(retryDelayMs(3, 1_000, () => 0.5)).toBe(1_000);
    expect(retryDelayMs(1, 0, () => 0.5)).toBe(0);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(1, undefined, () => 0.999)).toBe(499);
    expect(retryDelayMs(2, undefined, () => 0.999)).toBe(999);
    expect(retryDelayMs(4, undefined, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(20, undefined, () => 0.999)).toBe(29_970);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(0);
  });
});
