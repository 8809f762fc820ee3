import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import { modelConsumerName, streamNames } from '@switchyard/contracts';
import type { Redis } from 'ioredis';

/** What `/health/readiness` found. */
export interface ReadinessReport {
  ready: boolean;
  /** Each check by name (`nats`, `redis`, `stream:LLM_JOBS`, `consumer:model-x`): `ok` or why not. */
  checks: Record<string, string>;
  /** The names of the failed checks. */
  missing: string[];
}

const checkTimeoutMs = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${checkTimeoutMs} ms`)),
      checkTimeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether the gateway can serve: NATS is connected, Redis answers PING, the jobs, dead-letter
 * and usage streams exist, and every configured model has its consumer (so a published job
 * has a worker pool's queue to wait in). Checks run at once, each bounded to 2 s.
 */
export class ReadinessCheck {
  private jsm: Promise<JetStreamManager> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly redis: Redis,
    private readonly config: SwitchyardConfig,
  ) {}

  async run(): Promise<ReadinessReport> {
    const names = streamNames(this.config.switchyard.nats.streamPrefix);
    const checks: [string, () => Promise<unknown>][] = [
      ['nats', () => Promise.resolve(this.natsConnected())],
      ['redis', () => this.redis.ping()],
      ...[names.jobs, names.dlq, names.usage].map((stream): [string, () => Promise<unknown>] => [
        `stream:${stream}`,
        async () => (await this.manager()).streams.info(stream),
      ]),
      // The model's own consumer (tenants' lanes have consumers workers make as jobs arrive).
      ...Object.keys(this.config.models).map((model): [string, () => Promise<unknown>] => {
        const consumer = modelConsumerName(model);
        return [
          `consumer:${consumer}`,
          async () => (await this.manager()).consumers.info(names.jobs, consumer),
        ];
      }),
    ];
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check(), name);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, reason(error)] as const;
        }
      }),
    );
    const missing = results.filter(([, result]) => result !== 'ok').map(([name]) => name);
    return { ready: missing.length === 0, checks: Object.fromEntries(results), missing };
  }

  private natsConnected(): true {
    if (this.nc.isClosed() || this.nc.isDraining())
      throw new Error('the NATS connection is closed');
    return true;
  }

  private manager(): Promise<JetStreamManager> {
    this.natsConnected();
    this.jsm ??= jetstreamManager(this.nc).catch((error: unknown) => {
      this.jsm = undefined;
      throw error;
    });
    return this.jsm;
  }
}
