import { parseConfig, type Deployment } from '@switchyard/config';
import { chatCompletionRequestSchema } from '@switchyard/contracts';
import { createCooldownTracker, createRateLimiter, estimateInputTokens } from '@switchyard/limits';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { DeploymentBoard } from './deployment-board';
import { estimatesFor, holdsPrompt, leaseDeployment } from './deployment-lease';
import type { WorkerLimits } from './worker-limits';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
    '    model_info: { max_input_tokens: 8 }',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
    '    model_info: { id: second, max_input_tokens: 20 }',
    '  - model_name: m',
    '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_key: k }',
  ].join('\n'),
  { env: {} },
);
const [small, medium, unknown] = (config.models['m']?.deployments ?? []) as [
  Deployment,
  Deployment,
  Deployment,
];

// Never connected: the paths under test decide before any Redis call.
const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
afterAll(() => redis.disconnect());
const counted: string[] = [];
const limits: WorkerLimits = {
  rateLimiter: createRateLimiter(redis, { keyPrefix: 't:' }),
  cooldown: createCooldownTracker(redis, { keyPrefix: 't:', allowedFails: 1, cooldownMs: 1 }),
  estimateInputTokens(request, target) {
    counted.push(target?.providerModel ?? '');
    return estimateInputTokens(request, target);
  },
};
const prompt = (words: number) =>
  chatCompletionRequestSchema.parse({
    messages: [{ role: 'user', content: 'word '.repeat(words).trim() }],
  });

describe('pre-call checks in the lease', () => {
  it('holds a prompt up to max_input_tokens, and any prompt when it is unknown', () => {
    expect(holdsPrompt(small, 8)).toBe(true);
    expect(holdsPrompt(small, 9)).toBe(false);
    expect(holdsPrompt(unknown, 1_000_000)).toBe(true);
  });

  it('estimates once per provider model, with that model tokenizer', () => {
    counted.length = 0;
    const estimates = estimatesFor(limits, prompt(10), [small, medium, unknown]);
    expect(counted).toEqual(['gpt-4o-mini', 'claude-3-5-haiku-20241022']);
    expect(estimates.get(small)).toBe(estimates.get(medium));
    // 10 × "word" is 10 o200k tokens + 3 + 1 (role) + 3 = 17; the approximation counts 49 + 4 chars.
    expect(estimates.get(small)).toBe(17);
    expect(estimates.get(unknown)).toBe(3 + 3 + Math.ceil(53 / 4));
  });

  it('reports too-long, with every estimate, when no deployment of the board holds the prompt', async () => {
    const board = new DeploymentBoard([small, medium], 1);
    const outcome = await leaseDeployment(board, limits, prompt(30), { preCallChecks: true });
    expect(outcome.kind).toBe('too-long');
    expect(outcome.kind === 'too-long' && [...outcome.estimates.keys()]).toEqual([small, medium]);
    expect(board.usable()).toEqual([small, medium]);
  });

  it('counts the prompt only when something needs it: a tpm limit or pre-call checks, else never', async () => {
    // No deployment cools down; the rate limiter needs no Redis for deployments without limits.
    const noCooldowns: WorkerLimits = {
      ...limits,
      cooldown: {
        recordFailure: () => Promise.resolve({}),
        recordSuccess: () => Promise.resolve(),
        coolingDownUntil: () => Promise.resolve(undefined),
      },
    };
    counted.length = 0;
    const board = new DeploymentBoard([unknown], 1);
    const outcome = await leaseDeployment(board, noCooldowns, prompt(3), { preCallChecks: false });
    expect(outcome.kind).toBe('leased');
    expect(counted).toEqual([]);
    if (outcome.kind !== 'leased') return;
    expect(outcome.lease.estimatedInputTokens()).toBe(estimateInputTokens(prompt(3), unknown));
    expect(outcome.lease.estimatedInputTokens()).toBe(estimateInputTokens(prompt(3), unknown));
    expect(counted).toEqual([unknown.providerModel]);
  });
});
