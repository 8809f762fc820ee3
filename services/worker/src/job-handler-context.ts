import type { NatsConnection } from '@nats-io/nats-core';
import type { Deployment, RouterSettings } from '@switchyard/config';
import type { AnswerRecord, CompletionJob, SwitchyardSubjects } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import type { StreamPublish } from '@switchyard/messaging';
import type { BudgetGate } from './budget-gate';
import type { Cancellations } from './cancellations';
import type { DeploymentBoard } from './deployment-board';
import type { DeploymentScore, RandomSource } from './deployment-picker';
import type { FailureHistory } from './failure-history';
import type { KeyOwnerLookup } from './key-owner';
import type { CacheStepContext } from './response-cache/cache-step';
import type { WorkerLimits } from './worker-limits';
import type { WorkerMetrics } from './worker-metrics';

/** Everything the handler of one model's jobs uses. */
export interface JobHandlerContext {
  nc: NatsConnection;
  /** Publishes what a stream must store: answer records, usage, dead letters, durable replies. */
  streams: StreamPublish;
  subjects: SwitchyardSubjects;
  router: Pick<RouterSettings, 'retryPolicy'>;
  dropParams: boolean;
  board: DeploymentBoard;
  limits: WorkerLimits;
  failures: FailureHistory;
  cancellations: Cancellations;
  metrics: WorkerMetrics;
  /** The job's budgets (tenant, virtual key), reserved before the call. */
  budgets: BudgetGate;
  /** `router_settings.enable_pre_call_checks`: skip deployments the prompt does not fit. */
  preCallChecks: boolean;
  /** Every deployment of this model on every provider, for pre-call checks. */
  modelDeployments: readonly Deployment[];
  /** The response cache, when `litellm_settings.cache` is on. */
  cache?: CacheStepContext;
  /** The tenant of a virtual key, or undefined for an unknown key. */
  keyOwner: KeyOwnerLookup;
  /** The settlement recorded for a job (stream LLM_ANSWERS), or null. */
  answers(job: CompletionJob): Promise<AnswerRecord | null>;
  logger: Logger;
  random?: RandomSource;
  /** The `routing_strategy`'s ranking of the board's deployments (routingScore); absent for simple-shuffle. */
  routingScore?: DeploymentScore;
}
