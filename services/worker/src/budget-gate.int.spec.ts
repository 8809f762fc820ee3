import { Writable } from 'node:stream';
import { parseConfig, type Deployment } from '@switchyard/config';
import {
  completionJobSchema,
  type BudgetEvent,
  type CompletionJob,
  type CompletionUsage,
} from '@switchyard/contracts';
import { createBudgetLedger } from '@switchyard/limits';
import { createLogger } from '@switchyard/telemetry';
import { startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBudgetGate,
  defaultOutputReserveTokens,
  outputReserveTokens,
  type BudgetGateOptions,
  type CallPricer,
  type KeyBudgetLookup,
} from './budget-gate';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: priced',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k, input_cost_per_token: 0.00001, output_cost_per_token: 0.00002 }',
    '    model_info: { max_output_tokens: 100 }',
    '  - model_name: unpriced',
    '    litellm_params: { model: openai/some-new-model, api_key: k }',
    'switchyard:',
    '  tenants: { acme: { max_budget: 0.01, budget_duration: 1d }, free: {} }',
  ].join('\n'),
  { env: {} },
);
const [priced] = (config.models['priced']?.deployments ?? []) as [Deployment];
const [unpriced] = (config.models['unpriced']?.deployments ?? []) as [Deployment];

const pricer: CallPricer = {
  estimate: (d, prompt, completion) =>
    d.pricing ? prompt * d.pricing.inputPerToken + completion * d.pricing.outputPerToken : null,
  actual: (d, usage) =>
    d.pricing
      ? usage.prompt_tokens * d.pricing.inputPerToken +
        usage.completion_tokens * d.pricing.outputPerToken
      : null,
};

const job = (fields: Record<string, unknown> = {}): CompletionJob =>
  completionJobSchema.parse({
    v: 1,
    id: `job-${Math.random().toString(36).slice(2)}`,
    tenant: 'acme',
    model: 'priced',
    request: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 50 },
    submitted_at: Date.now(),
    ...fields,
  });
const usage = (prompt: number, completion: number): CompletionUsage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

let server: TestServer;
let redis: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

function gateWith(extra: Partial<BudgetGateOptions> = {}) {
  const keyPrefix = `${uniquePrefix('gate')}:`;
  const events: BudgetEvent[] = [];
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ name: 'gate-spec', level: 'warn', destination });
  const gate = createBudgetGate({
    ledger: createBudgetLedger(redis, { keyPrefix }),
    tenants: config.switchyard.tenants,
    price: pricer,
    publish: (event) => events.push(event),
    logger,
    ...extra,
  });
  const spent = async (tenant: string, keyId?: string) => {
    const key = `${keyPrefix}budget:{${tenant}}:${keyId === undefined ? 'tenant' : `key:${keyId}`}`;
    return redis.hgetall(key);
  };
  return { gate, events, lines, spent, logger };
}

const mustReserve = async (
  g: ReturnType<typeof gateWith>,
  j: CompletionJob,
  d: Deployment,
  tokens: number,
) => {
  const result = await g.gate.reserve(j, d, () => tokens, g.logger);
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return result.hold;
};

describe('budget gate', () => {
  it('reserves input and output at the price, reconciles to the real usage', async () => {
    const g = gateWith();
    const hold = await mustReserve(g, job(), priced, 10);
    // 10 × $0.00001 + 50 × $0.00002 = $0.0011
    expect(await g.spent('acme')).toMatchObject({ reserved: '1100', spent: '0' });
    await hold.settle(usage(12, 7), 'job-1:0:1:priced');
    expect(await g.spent('acme')).toMatchObject({ reserved: '0', spent: '260' });
    await hold.settle(usage(12, 7), 'job-1:0:1:priced');
    expect((await g.spent('acme')).spent).toBe('260');
  });

  it('answers budget_exceeded with the numbers, publishes 100 % once, and sends nothing', async () => {
    const g = gateWith();
    const holds = [];
    for (let i = 0; i < 9; i++) holds.push(await mustReserve(g, job(), priced, 10));
    const refused = await g.gate.reserve(job(), priced, () => 10, g.logger);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatchObject({
      type: 'budget_exceeded',
      status: 429,
      retryable: false,
    });
    expect(!refused.ok && refused.error.message).toContain('tenant acme');
    expect(!refused.ok && refused.error.message).toContain('reserved $0.009900');
    expect(g.events.map((e) => [e.tenant, e.scope, e.threshold])).toEqual([
      ['acme', 'tenant', 100],
    ]);
    await g.gate.reserve(job(), priced, () => 10, g.logger);
    expect(g.events).toHaveLength(1);
    await Promise.all(holds.map((h) => h.release()));
    expect((await g.spent('acme')).reserved).toBe('0');
  });

  it('publishes 80 % once the real spend reaches it', async () => {
    const g = gateWith();
    const hold = await mustReserve(
      g,
      job({ request: { messages: [{ role: 'user', content: 'x' }] } }),
      priced,
      1,
    );
    await hold.settle(usage(0, 400), 'job-80:0:1:priced'); // $0.008 of $0.01
    expect(g.events).toMatchObject([
      { scope: 'tenant', threshold: 80, spent_usd: 0.008, max_budget_usd: 0.01 },
    ]);
    const [event] = g.events as [BudgetEvent];
    expect((event.period_end ?? 0) - event.period_start).toBe(86_400_000);
  });

  it("holds the job's virtual key budget too, and refuses naming the key", async () => {
    const lookups: string[] = [];
    const keyBudgets: KeyBudgetLookup = (keyId) => {
      lookups.push(keyId);
      return Promise.resolve(keyId === 'key_0123456789abcdef' ? { maxBudget: 0.002 } : undefined);
    };
    const g = gateWith({ keyBudgets });
    const keyJob = job({ key_id: 'key_0123456789abcdef' });
    await mustReserve(g, keyJob, priced, 10);
    expect((await g.spent('acme', 'key_0123456789abcdef')).reserved).toBe('1100');
    const refused = await g.gate.reserve(keyJob, priced, () => 10, g.logger);
    expect(!refused.ok && refused.error.message).toContain('virtual key key_0123456789abcdef');
    expect((await g.spent('acme')).reserved).toBe('1100');
    // A key without a budget, or unknown: only the tenant's budget.
    await mustReserve(g, job({ key_id: 'key_ffffffffffffffff' }), priced, 10);
    expect(lookups).toEqual([
      'key_0123456789abcdef',
      'key_0123456789abcdef',
      'key_ffffffffffffffff',
    ]);
  });

  it('costs no Redis call for a tenant without a budget or not in the config', async () => {
    const g = gateWith();
    for (const tenant of ['free', 'nobody', 'default']) {
      const hold = await mustReserve(g, job({ tenant }), priced, 10);
      await hold.settle(usage(10, 10), `job-${tenant}:0:1:priced`);
      expect(await g.spent(tenant)).toEqual({});
    }
  });

  it('reserves 0 for an unknown price and warns once per deployment, never counting a silent 0', async () => {
    const g = gateWith();
    const a = await mustReserve(g, job({ model: 'unpriced' }), unpriced, 10);
    const b = await mustReserve(g, job({ model: 'unpriced' }), unpriced, 10);
    await a.settle(usage(10, 10), 'job-a:0:1:unpriced');
    await b.settle(usage(10, 10), 'job-b:0:1:unpriced');
    expect(await g.spent('acme')).toMatchObject({ spent: '0', reserved: '0' });
    const warnings = g.lines.filter((l) => l.includes('no price for this deployment'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(unpriced.id);
  });

  it('reserves the output the caller allows, at most the deployment maximum', () => {
    const body = (extra: object) =>
      job({ request: { messages: [{ role: 'user', content: 'x' }], ...extra } }).request;
    expect(outputReserveTokens(body({}), unpriced)).toBe(defaultOutputReserveTokens);
    expect(outputReserveTokens(body({ max_tokens: 30 }), unpriced)).toBe(30);
    expect(outputReserveTokens(body({ max_completion_tokens: 20, max_tokens: 30 }), unpriced)).toBe(
      20,
    );
    expect(outputReserveTokens(body({}), priced)).toBe(100);
    expect(outputReserveTokens(body({ max_tokens: 500 }), priced)).toBe(100);
  });
});
