import type { Meter } from '@opentelemetry/api';
import type { UsageEventInput } from '@switchyard/contracts';
import type { DeploymentBoard } from './deployment-board';

/**
 * How a worker finished with one delivery of a job: answered, answered with an error,
 * retried later (nak after a failure), dead-lettered (including a prompt no deployment
 * holds), waiting for a free or unblocked deployment, refused by a budget, answered from the
 * cache, cancelled, past its deadline, invalid, or handed back because the worker stopped.
 */
export const JobOutcomes = [
  'answered',
  'failed',
  'retried',
  'dead_lettered',
  'waiting',
  'budget_exceeded',
  'cache_hit',
  'cancelled',
  'deadline_exceeded',
  'invalid',
  'handed_back',
] as const;
export type JobOutcome = (typeof JobOutcomes)[number];

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The worker's instruments, read on its `/metrics`. Recording never throws. */
export class WorkerMetrics {
  private readonly jobs;
  private readonly calls;
  private readonly queueWait;
  private readonly providerLatency;
  private readonly timeToFirstToken;
  private readonly endToEnd;
  private readonly tokens;
  private readonly cost;
  private readonly costSaved;
  /** Jobs waiting as of the last delivery, by model and consumer. */
  private readonly pending = new Map<string, { model: string; consumer: string; jobs: number }>();
  private readonly boards = new Map<string, DeploymentBoard>();
  private readonly gates = new Map<string, { readonly open: boolean }>();

  constructor(meter: Meter, provider: string) {
    const histogram = (name: string, description: string) =>
      meter.createHistogram(name, {
        description,
        unit: 's',
        advice: { explicitBucketBoundaries: secondsBuckets },
      });
    this.jobs = meter.createCounter('switchyard_worker_jobs', {
      description: 'Job deliveries handled, by logical model and outcome',
    });
    this.calls = meter.createCounter('switchyard_provider_calls', {
      description:
        'Provider calls and cache hits, by model, deployment, provider, status, error type',
    });
    this.queueWait = histogram(
      'switchyard_queue_wait_seconds',
      'From submission to a worker taking the job',
    );
    this.providerLatency = histogram(
      'switchyard_provider_latency_seconds',
      'Provider call duration',
    );
    this.timeToFirstToken = histogram(
      'switchyard_time_to_first_token_seconds',
      'From submission to the first streamed content',
    );
    this.endToEnd = histogram('switchyard_end_to_end_seconds', 'From submission to the answer');
    this.tokens = meter.createCounter('switchyard_tokens', {
      description: 'Tokens billed by providers, by model, deployment, provider and kind',
    });
    this.cost = meter.createCounter('switchyard_cost_usd', {
      description: 'Cost of provider calls in USD (calls with a known price)',
    });
    this.costSaved = meter.createCounter('switchyard_cache_cost_saved_usd', {
      description: 'Cost cache hits saved, in USD',
    });
    meter
      .createObservableGauge('switchyard_consumer_pending', {
        description:
          'Jobs waiting in a consumer of a model (its own, or one of a tenant’s lanes), as of its last delivery to this worker',
      })
      .addCallback((result) => {
        for (const { model, consumer, jobs } of this.pending.values()) {
          result.observe(jobs, { model, consumer });
        }
      });
    meter
      .createObservableGauge('switchyard_deployment_available', {
        description: '1 while a deployment may be called, 0 while it cools down or is rate limited',
      })
      .addCallback((result) => {
        for (const [model, board] of this.boards) {
          for (const state of board.snapshot()) {
            result.observe(state.blocked ? 0 : 1, {
              model,
              deployment: state.deployment,
              provider,
            });
          }
        }
      });
    meter
      .createObservableGauge('switchyard_standby_serving', {
        description:
          '1 while a standby pool (every deployment of a higher order than another provider’s) pulls the model’s jobs, 0 while it stands back',
      })
      .addCallback((result) => {
        for (const [model, gate] of this.gates) {
          result.observe(gate.open ? 1 : 0, { model, provider });
        }
      });
    meter
      .createObservableGauge('switchyard_deployment_in_flight', {
        description: 'Provider calls in flight on a deployment in this worker',
      })
      .addCallback((result) => {
        for (const [model, board] of this.boards) {
          for (const state of board.snapshot()) {
            result.observe(state.inFlight, { model, deployment: state.deployment, provider });
          }
        }
      });
  }

  /** Reports whether this standby pool of `model` serves now (see StandbyGate). */
  watchStandby(model: string, gate: { readonly open: boolean }): void {
    this.gates.set(model, gate);
  }

  /** Reports the deployments of `model` (their state and calls in flight). */
  watch(model: string, board: DeploymentBoard): void {
    this.boards.set(model, board);
  }

  /**
   * A delivery of `model` finished with `outcome`; `queue.pending` jobs still wait behind it in
   * the consumer that delivered it.
   */
  outcome(model: string, outcome: JobOutcome, queue?: { consumer: string; pending: number }): void {
    this.jobs.add(1, { model, outcome });
    if (queue === undefined) return;
    const { consumer, pending } = queue;
    this.pending.set(`${model}\u0000${consumer}`, { model, consumer, jobs: pending });
  }

  /** A provider call or cache hit, from its usage event. */
  usage(event: UsageEventInput): void {
    const labels = { model: event.model, deployment: event.deployment, provider: event.provider };
    this.calls.add(1, { ...labels, status: event.status, error_type: event.error_type ?? '' });
    this.queueWait.record(event.queue_ms / 1000, { model: event.model });
    if (event.status !== 'cache_hit') {
      this.providerLatency.record(event.provider_ms / 1000, labels);
    }
    if (event.ttft_ms !== undefined) {
      this.timeToFirstToken.record(event.ttft_ms / 1000, { model: event.model });
    }
    if (event.status !== 'error')
      this.endToEnd.record(event.total_ms / 1000, { model: event.model });
    for (const [kind, count] of [
      ['prompt', event.prompt_tokens],
      ['completion', event.completion_tokens],
      ['cached', event.cached_tokens],
      ['reasoning', event.reasoning_tokens],
    ] as const) {
      if (count > 0) this.tokens.add(count, { ...labels, kind });
    }
    if (event.cost_usd != null && event.cost_usd > 0) this.cost.add(event.cost_usd, labels);
    if (event.cost_saved_usd !== undefined && event.cost_saved_usd > 0) {
      this.costSaved.add(event.cost_saved_usd, labels);
    }
  }
}
