import { parseConfig, type Deployment } from '@switchyard/config';
import { completionJobSchema, usageEventSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { callResultMeta, usageEventFor, type ProviderCall } from './answer-accounting';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: backup',
    '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_key: k }',
  ].join('\n'),
  { env: {} },
);
const deployment = config.models['backup']?.deployments[0] as Deployment;
const failedHop = {
  model: 'primary',
  deployments: [
    {
      deployment: 'primary/0',
      provider: 'openai',
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      message: 'slow down',
    },
    {
      deployment: 'primary/0',
      provider: 'openai',
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      message: 'slow down',
    },
  ],
} as const;
const job = completionJobSchema.parse({
  v: 1,
  id: 'job-1',
  tenant: 'acme',
  model: 'backup',
  request: { messages: [{ role: 'user', content: 'hi' }] },
  submitted_at: 1_000,
  tags: ['triage'],
  route: [failedHop],
});
const call: ProviderCall = {
  callId: '0123456789abcdef',
  job,
  deployment,
  attempt: 2,
  earlierFailures: 3,
  takenAt: 1_250,
  callStartedAt: 1_300,
  callEndedAt: 1_700,
  firstChunkAt: 1_400,
};

describe('callResultMeta', () => {
  it('counts every call, lists the path, measures from submission and says what it cost', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    expect(callResultMeta(call, usage)).toEqual({
      v: 1,
      job_id: 'job-1',
      deployment: 'backup/0',
      provider: 'anthropic',
      provider_model: 'claude-3-5-haiku-20241022',
      attempts: 4,
      fallback_path: ['primary', 'backup'],
      queue_ms: 250,
      provider_ms: 400,
      total_ms: 700,
      cache_hit: false,
      // claude-3-5-haiku: $0.80 in, $4 out per 1M tokens, as its usage event bills it.
      cost_usd: (10 * 800_000 + 5 * 4_000_000) / 1e12,
    });
    expect(callResultMeta(call, usage).cost_usd).toBe(
      usageEventFor(call, { status: 'success', usage }).cost_usd,
    );
    const unpriced = { ...deployment, providerModel: 'claude-unreleased' };
    expect(callResultMeta({ ...call, deployment: unpriced }, usage).cost_usd).toBeNull();
  });
});

describe('usageEventFor', () => {
  it('names the call by job, hop, delivery and deployment, and passes the contract', () => {
    const event = usageEventFor(call, {
      status: 'success',
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    });
    expect(event).toMatchObject({
      id: 'acme.job-1:1:2:0123456789abcdef',
      tenant: 'acme',
      tags: ['triage'],
      model: 'backup',
      status: 'success',
      prompt_tokens: 10,
      completion_tokens: 5,
      cached_tokens: 4,
      fallback_depth: 1,
      attempt: 2,
      ttft_ms: 400,
    });
    expect(usageEventSchema.safeParse(event).success).toBe(true);
  });

  it("prices the tokens at the deployment's price: cached at the cached price", () => {
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    // claude-3-5-haiku: $0.80 in, $0.08 cached in, $4 out per 1M tokens.
    const event = usageEventFor(call, {
      status: 'success',
      usage: { ...usage, prompt_tokens_details: { cached_tokens: 4 } },
    });
    expect(event.cost_usd).toBe((6 * 800_000 + 4 * 80_000 + 5 * 4_000_000) / 1e12);
    const unpriced = { ...deployment, providerModel: 'claude-unreleased' };
    const unknown = usageEventFor({ ...call, deployment: unpriced }, { status: 'success', usage });
    expect(unknown.cost_usd).toBeNull();
    const override = {
      ...unpriced,
      pricing: { inputPerToken: 0.000001, outputPerToken: 0.000002 },
    };
    const priced = usageEventFor({ ...call, deployment: override }, { status: 'success', usage });
    expect(priced.cost_usd).toBe(0.00002);
  });

  it('records a failed call with its error type and no tokens', () => {
    const event = usageEventFor(call, { status: 'error', errorType: 'overloaded' });
    expect(event).toMatchObject({ status: 'error', error_type: 'overloaded', prompt_tokens: 0 });
    expect(usageEventSchema.safeParse(event).success).toBe(true);
  });
});
