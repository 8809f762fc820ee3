import { describe, expect, it } from 'vitest';
import {
  tenantConsumerConfig,
  tenantConsumerIdleMs,
  planTopology,
  TopologyDefaults,
  type ManagedConsumerConfig,
  type TopologySettings,
} from './topology-plan';

const nanos = (ms: number) => ms * 1_000_000;
const base = { models: ['fast-triage-model'], ackWaitMs: 300_000 };

describe('planTopology', () => {
  it('plans a file-backed work queue for jobs and limits streams for the rest', () => {
    const plan = planTopology(base, { metadata: false, exactDiscardNewBytes: true });
    const byKind = Object.fromEntries(plan.streams.map((s) => [s.kind, s.config]));
    expect(byKind['jobs']).toMatchObject({
      name: 'LLM_JOBS',
      subjects: ['llm.jobs.>'],
      retention: 'workqueue',
      storage: 'file',
      num_replicas: 1,
      max_age: 0,
      discard: 'new',
      duplicate_window: nanos(120_000),
    });
    expect(byKind['dlq']).toMatchObject({
      name: 'LLM_DLQ',
      retention: 'limits',
      max_age: nanos(TopologyDefaults.dlqMaxAgeMs),
    });
    expect(byKind['usage']).toMatchObject({ name: 'LLM_USAGE', retention: 'limits' });
    expect(byKind['results']).toMatchObject({
      name: 'LLM_RESULTS',
      subjects: ['llm.results.>'],
      max_age: nanos(TopologyDefaults.resultsMaxAgeMs),
    });
    expect(plan.streams.every((s) => s.config.metadata === undefined)).toBe(true);
  });

  it('plans one explicit-ack durable per model (its interactive lane) with the given AckWait', () => {
    const plan = planTopology(
      { ...base, maxAckPending: 50 },
      { metadata: false, exactDiscardNewBytes: true },
    );
    expect(plan.jobsStream).toBe('LLM_JOBS');
    expect(plan.consumers).toEqual([
      {
        model: 'fast-triage-model',
        config: expect.objectContaining({
          durable_name: 'model-fast-triage-model',
          filter_subject: 'llm.jobs.default.fast-triage-model',
          ack_policy: 'explicit',
          deliver_policy: 'all',
          ack_wait: nanos(300_000),
          max_deliver: -1,
          max_ack_pending: 50,
        }) as unknown,
      },
    ]);
  });

  it('makes a tenant’s lane consumers from the model’s own, removed by the server when idle', () => {
    const plan = planTopology(
      { ...base, maxAckPending: 50, subjectRoot: 't1.llm' },
      { metadata: true, exactDiscardNewBytes: true },
    );
    const own = plan.consumers[0]?.config as ManagedConsumerConfig;
    const lane = { tenant: 'acme', model: 'fast-triage-model' };
    expect(tenantConsumerConfig(own, { ...lane, priority: 'batch' }, 't1.llm')).toEqual({
      durable_name: 'batch-acme~fast-triage-model',
      description: 'Switchyard batch jobs of tenant acme for logical model "fast-triage-model"',
      filter_subject: 't1.llm.jobs.acme.fast-triage-model.batch',
      ack_policy: 'explicit',
      deliver_policy: 'all',
      replay_policy: 'instant',
      ack_wait: nanos(300_000),
      max_deliver: -1,
      max_ack_pending: 50,
      // The answers' default max age (a day) and an hour more.
      inactive_threshold: nanos(25 * 3_600_000),
      metadata: {
        'switchyard.model': 'fast-triage-model',
        'switchyard.priority': 'batch',
        'switchyard.tenant': 'acme',
      },
    });
    expect(tenantConsumerConfig(own, { ...lane, priority: 'interactive' }, 't1.llm')).toMatchObject(
      {
        durable_name: 'interactive-acme~fast-triage-model',
        description:
          'Switchyard interactive jobs of tenant acme for logical model "fast-triage-model"',
        filter_subject: 't1.llm.jobs.acme.fast-triage-model',
        max_ack_pending: 50,
        metadata: { 'switchyard.priority': 'interactive', 'switchyard.tenant': 'acme' },
      },
    );
    expect(
      tenantConsumerConfig(
        own,
        { ...lane, priority: 'batch' },
        't1.llm',
        tenantConsumerIdleMs(60_000),
      ),
    ).toMatchObject({ inactive_threshold: nanos(3_660_000) });
    const withoutMetadata = { ...own, metadata: undefined };
    expect(
      tenantConsumerConfig(withoutMetadata, { ...lane, priority: 'batch' }),
    ).not.toHaveProperty('metadata');
  });

  it('caps each model at its own max_ack_pending, else the shared one (10,000 by default)', () => {
    const models = ['a', 'b', 'toString'];
    const caps = (settings: Partial<TopologySettings>) =>
      planTopology(
        { ...base, models, ...settings },
        { metadata: false, exactDiscardNewBytes: true },
      ).consumers.map((c) => c.config.max_ack_pending);
    expect(caps({})).toEqual(Array(3).fill(10_000));
    expect(caps({ maxAckPending: 300, maxAckPendingByModel: { b: 20 } })).toEqual([300, 20, 300]);
    expect(() => caps({ maxAckPendingByModel: { a: 0 } })).toThrow(RangeError);
  });

  it('gives models whose names are prefixes of each other filters that never overlap', () => {
    const models = ['gpt', 'gpt-4', 'gpt.4', 'gpt/4', 'openai/gpt', 'openai/gpt-4o', 'a.b', 'a'];
    const plan = planTopology({ ...base, models }, { metadata: false, exactDiscardNewBytes: true });
    const lastTokens = plan.consumers.map((c) => c.config.filter_subject.split('.').slice(3));
    for (const tokens of lastTokens) {
      expect(tokens).toHaveLength(1);
      expect(tokens.join('.')).not.toMatch(/[*>]/);
    }
    expect(new Set(lastTokens.map((t) => t.join('.'))).size).toBe(models.length);
    expect(new Set(plan.consumers.map((c) => c.config.durable_name)).size).toBe(models.length);
  });

  it('uses the subject root and stream prefix, and no prefix for an empty one', () => {
    const plan = planTopology(
      { ...base, subjectRoot: 't1.llm', streamPrefix: 'T1' },
      { metadata: false, exactDiscardNewBytes: true },
    );
    expect(plan.streams.map((s) => s.config.name)).toEqual([
      'T1_LLM_JOBS',
      'T1_LLM_DLQ',
      'T1_LLM_USAGE',
      'T1_LLM_RESULTS',
      'T1_LLM_ANSWERS',
      'T1_LLM_CANCELS',
    ]);
    expect(plan.consumers[0]?.config.filter_subject).toBe('t1.llm.jobs.default.fast-triage-model');
    expect(
      planTopology({ ...base, streamPrefix: '' }, { metadata: false, exactDiscardNewBytes: true })
        .jobsStream,
    ).toBe('LLM_JOBS');
  });

  it('keeps the duplicate window within a short max age', () => {
    const plan = planTopology(
      { ...base, resultsMaxAgeMs: 30_000 },
      { metadata: false, exactDiscardNewBytes: true },
    );
    const results = plan.streams.find((s) => s.kind === 'results');
    expect(results?.config.duplicate_window).toBe(nanos(30_000));
  });

  it('bounds the jobs stream by messages only where the server would drop queued jobs at a byte limit', () => {
    const settings = { ...base, maxBytes: { jobs: 1024, usage: 4096 }, jobsMaxMessages: 50 };
    const jobsOf = (plan: ReturnType<typeof planTopology>) =>
      plan.streams.find((s) => s.kind === 'jobs')?.config;
    const exact = planTopology(settings, { metadata: false, exactDiscardNewBytes: true });
    expect(jobsOf(exact)).toMatchObject({ max_bytes: 1024, max_msgs: 50, discard: 'new' });
    const old = planTopology(settings, { metadata: false, exactDiscardNewBytes: false });
    expect(jobsOf(old)).toMatchObject({ max_bytes: -1, max_msgs: 50, discard: 'new' });
    expect(old.streams.find((s) => s.kind === 'usage')?.config.max_bytes).toBe(4096);
    expect(() =>
      planTopology(
        { ...base, jobsMaxMessages: 0 },
        { metadata: false, exactDiscardNewBytes: true },
      ),
    ).toThrow(/jobsMaxMessages/);
  });

  it('bounds each stream by its max bytes, with no limit by default', () => {
    const maxBytesOf = (plan: ReturnType<typeof planTopology>) =>
      Object.fromEntries(plan.streams.map((s) => [s.kind, s.config.max_bytes]));
    expect(maxBytesOf(planTopology(base, { metadata: false, exactDiscardNewBytes: true }))).toEqual(
      {
        jobs: -1,
        dlq: -1,
        usage: -1,
        results: -1,
        answers: -1,
        cancels: -1,
      },
    );
    const bounded = planTopology(
      { ...base, maxBytes: { jobs: 1024, usage: 4096, results: -1 } },
      { metadata: false, exactDiscardNewBytes: true },
    );
    expect(maxBytesOf(bounded)).toEqual({
      jobs: 1024,
      dlq: -1,
      usage: 4096,
      results: -1,
      answers: -1,
      cancels: -1,
    });
    const jobs = bounded.streams.find((s) => s.kind === 'jobs');
    expect(jobs?.config.discard).toBe('new');
    expect(() =>
      planTopology(
        { ...base, maxBytes: { dlq: 0 } },
        { metadata: false, exactDiscardNewBytes: true },
      ),
    ).toThrow(/maxBytes.dlq/);
  });

  it('adds metadata only when the server keeps it', () => {
    const plan = planTopology(
      { ...base, models: ['openai/gpt-4o'] },
      { metadata: true, exactDiscardNewBytes: true },
    );
    expect(plan.consumers[0]?.config.metadata).toEqual({
      'switchyard.model': 'openai/gpt-4o',
      'switchyard.priority': 'interactive',
    });
    expect(plan.streams[0]?.config.metadata).toEqual({ 'switchyard.stream': 'jobs' });
  });

  it('plans a model listed twice once', () => {
    const plan = planTopology(
      { ...base, models: ['a', 'b', 'a'] },
      { metadata: false, exactDiscardNewBytes: true },
    );
    expect(plan.consumers.map((c) => c.model)).toEqual(['a', 'b']);
  });

  it('refuses settings out of range', () => {
    expect(() =>
      planTopology({ ...base, replicas: 6 }, { metadata: false, exactDiscardNewBytes: true }),
    ).toThrow(/replicas/);
    expect(() =>
      planTopology({ ...base, ackWaitMs: 0 }, { metadata: false, exactDiscardNewBytes: true }),
    ).toThrow(/ackWaitMs/);
    expect(() =>
      planTopology({ ...base, maxDeliver: 0 }, { metadata: false, exactDiscardNewBytes: true }),
    ).toThrow(/maxDeliver/);
    expect(() =>
      planTopology({ ...base, models: [''] }, { metadata: false, exactDiscardNewBytes: true }),
    ).toThrow();
  });
});
