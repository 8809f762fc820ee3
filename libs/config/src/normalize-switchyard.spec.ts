import { describe, expect, it } from 'vitest';
import { parse, problemsOf, specEnv, twoModels, yaml } from './spec-helpers';

describe('the switchyard section', () => {
  it('has defaults, and always a default tenant', () => {
    expect(parse(twoModels).config.switchyard).toEqual({
      nats: {
        servers: ['nats://127.0.0.1:4222'],
        replicas: 1,
        storage: 'file',
        subjectRoot: 'llm',
        streamPrefix: '',
        maxBytes: {
          jobs: 1024 ** 3,
          dlq: 1024 ** 3,
          usage: 4 * 1024 ** 3,
          results: 1024 ** 3,
          answers: 1024 ** 3,
          cancels: 64 * 1024 ** 2,
        },
        jobsMaxMessages: 1_000_000,
        duplicateWindowMs: 120_000,
        answersMaxAgeMs: 86_400_000,
      },
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'sy:', commandTimeoutMs: 2_000 },
      worker: {
        concurrency: 32,
        shutdownGraceMs: 30_000,
        ackWaitMs: 30_000,
        maxInFlight: 10_000,
        maxInFlightByModel: {},
      },
      gateway: { maxInFlight: 10_000, backlog: 4_096 },
      batches: {
        maxInFlight: 1_000,
        maxFileBytes: 209_715_200,
        maxRequestsPerFile: 50_000,
        leaseMs: 15_000,
      },
      tenants: { default: {} },
    });
  });

  it('takes NATS_URL (comma-separated) and REDIS_URL from the environment as defaults', () => {
    const env = {
      ...specEnv,
      NATS_URL: 'nats://a:4222, nats://b:4222',
      REDIS_URL: 'rediss://r:6380',
    };
    const { config } = parse(twoModels, env);
    expect(config.switchyard.nats.servers).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.switchyard.redis.url).toBe('rediss://r:6380');
  });

  it('prefers the file over the environment defaults', () => {
    const env = { ...specEnv, NATS_URL: 'nats://env:4222', REDIS_URL: 'redis://env:6379' };
    const { config } = parse(
      twoModels +
        yaml`
          switchyard:
            nats: { servers: "nats://file-1:4222,nats://file-2:4222" }
            redis: { url: os.environ/CACHE_REDIS }
        `,
      { ...env, CACHE_REDIS: 'redis://file:6379/2' },
    );
    expect(config.switchyard.nats.servers).toEqual(['nats://file-1:4222', 'nats://file-2:4222']);
    expect(config.switchyard.redis.url).toBe('redis://file:6379/2');
  });

  it('reports a malformed NATS_URL or REDIS_URL without quoting it', () => {
    const problems = problemsOf(twoModels, {
      ...specEnv,
      NATS_URL: 'http://user:pw@x',
      REDIS_URL: 'http://user:pw@y',
    });
    expect(problems.map((p) => p.path)).toEqual([
      'switchyard.nats.servers',
      'switchyard.redis.url',
    ]);
    expect(JSON.stringify(problems)).not.toContain('pw@');
  });

  it('validates every setting', () => {
    const problems = problemsOf(
      twoModels +
        yaml`
          switchyard:
            nats:
              servers: []
              replicas: 7
              storage: disk
              subject_root: "llm.*"
              stream_prefix: "a.b"
              jobs_max_bytes: 0
              usage_max_bytes: 4GB
            redis: { url: "http://localhost:6379", key_prefix: 5, command_timeout: 0 }
            worker: { concurrency: 0, shutdown_grace_seconds: -1 }
            tenants:
              "bad tenant": {}
              acme: { max_budget: -5, budget_duration: 1y }
        `,
    );
    expect(problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      '12 switchyard.nats.servers: expected NATS servers like nats://host:4222 (a list, or a comma-separated string), got an empty list',
      '13 switchyard.nats.replicas: expected a whole number from 1 to 5, got 7',
      '14 switchyard.nats.storage: expected "file" or "memory", got "disk"',
      '15 switchyard.nats.subject_root: expected a subject prefix like "llm", got "llm.*"',
      '16 switchyard.nats.stream_prefix: expected letters, digits, "_" or "-" (may be empty), got "a.b"',
      '17 switchyard.nats.jobs_max_bytes: expected a size like 1073741824, "512MiB" or "4GiB", or -1 for no limit, got 0',
      '18 switchyard.nats.usage_max_bytes: expected a size like 1073741824, "512MiB" or "4GiB", or -1 for no limit, got "4GB"',
      '19 switchyard.redis.url: expected a redis:// or rediss:// URL, got a string',
      '19 switchyard.redis.key_prefix: expected a string, got 5',
      '19 switchyard.redis.command_timeout: expected a positive number of seconds, got 0',
      '20 switchyard.worker.concurrency: expected a positive integer, got 0',
      '20 switchyard.worker.shutdown_grace_seconds: expected a number of seconds (0 or more), got -1',
      '22 switchyard.tenants["bad tenant"]: tenant ids are 1-64 letters, digits, "_" or "-", got "bad tenant"',
      '23 switchyard.tenants.acme.max_budget: expected a number (0 or more), got -5',
      '23 switchyard.tenants.acme.budget_duration: expected a duration like "30s", "10m", "1h", "1d", "2w" or "1mo", got "1y"',
    ]);
  });

  it('reads tenants with LiteLLM budget durations', () => {
    const { config } = parse(
      twoModels +
        yaml`
          switchyard:
            tenants:
              default: { max_budget: 1 }
              a: { max_budget: 0, budget_duration: 30s }
              b: { budget_duration: 10m }
              c: { budget_duration: 1h }
              d: { budget_duration: 1d }
              e: { budget_duration: 1mo }
              f:
        `,
    );
    expect(config.switchyard.tenants).toEqual({
      default: { maxBudget: 1 },
      a: { maxBudget: 0, budgetDurationMs: 30_000 },
      b: { budgetDurationMs: 600_000 },
      c: { budgetDurationMs: 3_600_000 },
      d: { budgetDurationMs: 86_400_000 },
      e: { budgetDurationMs: 2_592_000_000 },
      f: {},
    });
  });

  it('warns about budget periods longer than the usage stream keeps events', () => {
    const { warnings } = parse(
      twoModels +
        yaml`
          switchyard:
            tenants:
              weekly: { max_budget: 5, budget_duration: 7d }
              monthly: { max_budget: 5, budget_duration: 1mo }
        `,
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^config\.yaml:\d+:\d+ switchyard\.tenants\.monthly\.budget_duration: the budget period is longer than the 7 days the usage stream keeps events/,
      ) as unknown,
    ]);
  });

  it('bounds file streams by default, memory streams only when told, and reads sizes', () => {
    const memory = parse(
      twoModels + 'switchyard: { nats: { storage: memory, dlq_max_bytes: 64MiB } }\n',
    );
    expect(memory.config.switchyard.nats.maxBytes).toEqual({
      jobs: -1,
      dlq: 64 * 1024 ** 2,
      usage: -1,
      results: -1,
      answers: -1,
      cancels: -1,
    });
    const file = parse(
      twoModels + 'switchyard: { nats: { jobs_max_bytes: -1, usage_max_bytes: "1 TiB" } }\n',
    );
    expect(file.config.switchyard.nats.maxBytes).toEqual({
      jobs: -1,
      dlq: 1024 ** 3,
      usage: 1024 ** 4,
      results: 1024 ** 3,
      answers: 1024 ** 3,
      cancels: 64 * 1024 ** 2,
    });
  });
});
