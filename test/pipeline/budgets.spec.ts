import type { Subscription } from '@nats-io/nats-core';
import { Switchyard, SwitchyardError } from '@switchyard/client';
import type { Deployment } from '@switchyard/config';
import { createSubjects, decodeBudgetEvent, type BudgetEvent } from '@switchyard/contracts';
import {
  createBudgetLedger,
  estimateInputTokens,
  usdToMicros,
  type BudgetScope,
} from '@switchyard/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  questionMessages,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

const inputPrice = 0.00001;
const outputPrice = 0.00002;
const maxTokens = 16;
const hourMs = 3_600_000;

describe('pipeline: budgets', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;
  const events: BudgetEvent[] = [];
  let subscription: Subscription;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-budget', {
      models: {
        metered: [
          {
            provider: 'openai',
            params: `input_cost_per_token: ${inputPrice}, output_cost_per_token: ${outputPrice}`,
          },
        ],
      },
      tenants: '{ acme: { max_budget: 0.05, budget_duration: 1h } }',
    });
    pipeline = await startPipeline(servers, install, ['openai']);
    subscription = pipeline.nc.subscribe(createSubjects(install.prefix).budgetEvents('acme'), {
      callback: (_error, msg) => {
        const decoded = decodeBudgetEvent(msg.data);
        if (decoded.ok) events.push(decoded.event);
      },
    });
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await pipeline?.stop();
    await servers?.stop();
  });

  const clientFor = (tenant: string) =>
    new Switchyard({
      nc: pipeline.nc,
      tenant,
      subjectRoot: install.prefix,
      streamPrefix: install.prefix,
      timeoutMs: 30_000,
    });
  const meteredDeployment = () => install.config.models['metered']?.deployments[0] as Deployment;
  const request = { model: 'metered', messages: questionMessages, max_tokens: maxTokens };
  const simRequests = () =>
    servers.sim.stats().deployments[install.simName('metered')]?.requests ?? 0;

  it('50 concurrent jobs on a nearly spent tenant budget: the rest get budget_exceeded, unsent', async () => {
    const estimate = estimateInputTokens(request, meteredDeployment());
    const reservation = usdToMicros(estimate * inputPrice + maxTokens * outputPrice);
    const maxMicros = 50_000;
    // 79.8 % spent before the run: room for about 21 reservations.
    const tenant: BudgetScope = { tenant: 'acme', maxBudget: 0.05, budgetDurationMs: hourMs };
    const ledger = createBudgetLedger(pipeline.redis, { keyPrefix: `${install.prefix}:` });
    const before = await ledger.reserve([tenant], 39_900);
    if (!before.ok) throw new Error('could not record the earlier spend');
    expect(await ledger.reconcile(before.reservation, 39_900)).toEqual([]);
    const sentBefore = simRequests();

    const client = clientFor('acme');
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        client.chat.completions.create(request).then(
          () => 'ok' as const,
          (error: unknown) => error,
        ),
      ),
    );
    const succeeded = outcomes.filter((o) => o === 'ok').length;
    const refused = outcomes.filter((o) => o !== 'ok');
    expect(succeeded).toBeGreaterThanOrEqual(Math.floor((maxMicros - 39_900) / reservation) - 1);
    expect(succeeded).toBeLessThan(50);
    for (const error of refused) {
      expect(error).toBeInstanceOf(SwitchyardError);
      expect(error).toMatchObject({ type: 'budget_exceeded', status: 429 });
      expect((error as Error).message).toContain('tenant acme');
    }
    expect(simRequests() - sentBefore).toBe(succeeded);

    const stored = await pipeline.redis.hgetall(`${install.prefix}:budget:{acme}:tenant`);
    expect(Number(stored.reserved)).toBe(0);
    expect(Number(stored.spent)).toBeGreaterThan(39_900);
    expect(Number(stored.spent)).toBeLessThanOrEqual(maxMicros + reservation);

    await waitUntil(() => events.length >= 2);
    expect(events.map((e) => [e.scope, e.threshold])).toEqual([
      ['tenant', 80],
      ['tenant', 100],
    ]);
    const periodStart = Math.floor(Date.now() / hourMs) * hourMs;
    expect(events[0]).toMatchObject({
      tenant: 'acme',
      max_budget_usd: 0.05,
      period_start: periodStart,
      period_end: periodStart + hourMs,
    });
    expect(events[0]?.spent_usd).toBeGreaterThanOrEqual(0.04);
  }, 60_000);

  it("enforces a virtual key's budget from its record, sequentially, and reports it", async () => {
    const { key } = await pipeline.keys.create({
      tenant: 'keyed',
      maxBudget: 0.002,
      budgetDurationMs: hourMs,
    });
    const keyEvents: BudgetEvent[] = [];
    const keySubscription = pipeline.nc.subscribe(
      createSubjects(install.prefix).budgetEvents('keyed'),
      {
        callback: (_error, msg) => {
          const decoded = decodeBudgetEvent(msg.data);
          if (decoded.ok) keyEvents.push(decoded.event);
        },
      },
    );
    const client = clientFor('keyed');
    const sentBefore = simRequests();
    const outcomes: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await client.chat.completions.create({ ...request, switchyard: { key_id: key.id } }).then(
          () => 'ok',
          (error: unknown) => error,
        ),
      );
    }
    // $0.002 holds four calls of about $0.00045 (each reserving $0.00046), not a fifth.
    expect(outcomes.slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
    for (const refused of outcomes.slice(4)) {
      expect(refused).toMatchObject({ type: 'budget_exceeded', status: 429 });
      expect((refused as Error).message).toContain(`virtual key ${key.id}`);
    }
    expect(simRequests() - sentBefore).toBe(4);
    // The same tenant without the key is not limited by the key's budget.
    await client.chat.completions.create(request);
    await waitUntil(() => keyEvents.length >= 2);
    keySubscription.unsubscribe();
    expect(keyEvents.map((e) => [e.scope, e.key_id, e.threshold])).toEqual([
      ['key', key.id, 80],
      ['key', key.id, 100],
    ]);
  });

  it('does not limit a tenant without a budget', async () => {
    const result = await clientFor('other').chat.completions.create(request);
    expect(result.switchyard.deployment).toBe(meteredDeployment().id);
  });
});
