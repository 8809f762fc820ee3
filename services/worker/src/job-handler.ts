import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Deployment, RouterSettings } from '@switchyard/config';
import {
  makeError,
  type CompletionJob,
  type DeploymentAttempt,
  type SwitchyardSubjects,
  type UsageEventInput,
} from '@switchyard/contracts';
import { publishDeadLetter, type JobDelivery, type JobHandler } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import type { Cancellations } from './cancellations';
import {
  cacheStep,
  noCacheTicket,
  type CacheStepContext,
  type CacheTicket,
} from './response-cache/cache-step';
import type { DeploymentBoard } from './deployment-board';
import type { BudgetGate, BudgetHold } from './budget-gate';
import type { DeploymentLease } from './deployment-lease';
import { admitJob } from './job-admission';
import type { RandomSource } from './deployment-picker';
import type { FailureHistory } from './failure-history';
import { jobReplies, type JobReplies } from './job-replies';
import { publishUsageDurably } from './publish-usage-durably';
import { attemptOf, classifyFailure, type ClassifiedFailure } from './provider-failure';
import { retryBudget, retryDelayMs } from './retry-policy';
import { runProviderCall } from './run-provider-call';
import {
  deploymentsTried,
  failuresInRoute,
  usageEventFor,
  type ProviderCall,
  type UsageOutcome,
} from './served-job';
import type { WorkerLimits } from './worker-limits';
import type { JobOutcome, WorkerMetrics } from './worker-metrics';

/** Everything the handler of one model's jobs uses. */
export interface JobHandlerContext {
  nc: NatsConnection;
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
  cache?: Omit<CacheStepContext, 'js' | 'subjects'>;
  logger: Logger;
  random?: RandomSource;
}

/**
 * The handler of one model's consumer: the per-job state machine of README.md. Invalid jobs
 * get an `invalid_job` reply and are terminated; jobs past their deadline get
 * `deadline_exceeded` and jobs their caller cancelled get `cancelled`, both acked unsent;
 * otherwise a deployment is leased and the job's budgets reserved (`admitJob`: or the job goes
 * back to the stream until one is free, is dead-lettered when its prompt fits no deployment,
 * or gets `budget_exceeded`), the provider is called, and the job is answered and
 * acked, retried with nak(delay), or dead-lettered.
 */
export function createJobHandler(context: JobHandlerContext): JobHandler {
  const js = jetstream(context.nc);
  return async (delivery) => {
    const log = context.logger.child({
      seq: delivery.streamSequence,
      attempt: delivery.attempt,
      ...(delivery.ok ? { jobId: delivery.job.id } : {}),
    });
    const replies = jobReplies({
      nc: context.nc,
      replyTo: delivery.replyTo,
      subjects: context.subjects,
      traceContext: delivery.traceContext,
      logger: log,
    });
    const finished = (outcome: JobOutcome) =>
      context.metrics.outcome(delivery.model, outcome, delivery.pending);
    if (!delivery.ok) {
      log.warn({ code: delivery.error.code }, 'invalid job: answered and terminated');
      await replies.fail(delivery.error, delivery.jobId);
      delivery.control.term(`invalid_job: ${delivery.error.code}`);
      finished('invalid');
      return;
    }
    const job = delivery.job;
    const takenAt = Date.now();
    if (job.deadline !== undefined && takenAt >= job.deadline) {
      const error = makeError(
        'deadline_exceeded',
        'deadline_exceeded',
        `the job's deadline passed ${takenAt - job.deadline} ms before a worker could send it`,
        { deployments_tried: deploymentsTried(job) },
      );
      await replies.fail(error, job.id);
      await delivery.control.ack();
      finished('deadline_exceeded');
      return;
    }
    if (context.cancellations.isCancelled(job)) {
      log.info('cancelled by its caller before it was sent: dropped');
      await replies.fail(cancelledError(job), job.id);
      await delivery.control.ack();
      finished('cancelled');
      return;
    }
    const caching =
      context.cache === undefined
        ? { answered: false as const, ticket: noCacheTicket }
        : await cacheStep(
            { ...context.cache, js, subjects: context.subjects },
            delivery,
            job,
            replies,
            takenAt,
            log,
          );
    if (caching.answered) {
      if (caching.hit !== undefined) context.metrics.usage(caching.hit);
      finished(caching.hit === undefined ? 'waiting' : 'cache_hit');
      return;
    }
    const { ticket } = caching;
    const admission = await admitJob({ ...context, js }, delivery, job, replies, log);
    if (!admission.ok) {
      await ticket.release();
      finished(admission.outcome);
      return;
    }
    const { lease, budget } = admission;
    const cancel = context.cancellations.track(job);
    try {
      const run = { delivery, job, replies, takenAt, cancelled: cancel.signal, budget, log };
      finished(await serve(context, js, run, lease, ticket));
    } finally {
      cancel.done();
      context.board.release(lease.deployment.id);
      await ticket.release();
    }
  };
}

/** One job being served by this worker. */
interface JobRun {
  delivery: JobDelivery;
  job: CompletionJob;
  replies: JobReplies;
  /** When the worker took the job (epoch ms). */
  takenAt: number;
  /** Aborted when the job's caller cancels it. */
  cancelled: AbortSignal;
  /** The job's budget reservation, settled with the call's cost or released. */
  budget: BudgetHold;
  log: Logger;
}

async function serve(
  context: JobHandlerContext,
  js: JetStreamClient,
  run: JobRun,
  lease: DeploymentLease,
  cacheTicket: CacheTicket,
): Promise<JobOutcome> {
  const { delivery, job, replies, takenAt, cancelled, log } = run;
  const { deployment, reservation } = lease;
  const earlierOnHop = delivery.attempt > 1 ? await context.failures.list(job) : [];
  const call: ProviderCall = {
    job,
    deployment,
    attempt: delivery.attempt,
    earlierFailures: failuresInRoute(job) + earlierOnHop.length,
    takenAt,
    callStartedAt: takenAt,
    callEndedAt: takenAt,
  };
  const deadlineSignal =
    job.deadline === undefined ? [] : [AbortSignal.timeout(Math.max(1, job.deadline - Date.now()))];
  const signal = AbortSignal.any([delivery.signal, cancelled, ...deadlineSignal]);
  const outcome = await runProviderCall(call, {
    replies,
    dropParams: context.dropParams,
    signal,
    keepCompletion: cacheTicket.keepCompletion,
  });

  if (outcome.ok) {
    // The caller has its answer: bookkeeping failures are logged, never a reason to run the
    // job again.
    await Promise.all([
      bestEffort(log, 'reconciling the rate limit', () =>
        context.limits.rateLimiter.reconcile(reservation, outcome.usage.total_tokens),
      ),
      bestEffort(log, 'recording the success', () =>
        context.limits.cooldown.recordSuccess(deployment.id),
      ),
      meter(js, context, call, { status: 'success', usage: outcome.usage }, log).then((event) =>
        cacheTicket.store(outcome.completion, deployment, event.cost_usd ?? null),
      ),
      bestEffort(log, 'settling the budget', () => run.budget.settle(outcome.usage)),
      earlierOnHop.length > 0
        ? bestEffort(log, 'clearing the failure history', () => context.failures.clear(job))
        : undefined,
    ]);
    await delivery.control.ack();
    return 'answered';
  }

  await context.limits.rateLimiter.reconcile(reservation, 0);
  await bestEffort(log, 'releasing the budget', () => run.budget.release());
  if (delivery.signal.aborted) {
    // The consumer stopped and already handed the job back for another worker.
    await meter(js, context, call, { status: 'error', errorType: 'timeout' }, log);
    return 'handed_back';
  }
  if (cancelled.aborted) {
    log.info({ deployment: deployment.id }, 'cancelled by its caller: provider call aborted');
    await meter(js, context, call, { status: 'error', errorType: 'cancelled' }, log);
    await replies.fail(cancelledError(job), job.id);
    if (delivery.attempt > 1) await context.failures.clear(job);
    await delivery.control.ack();
    return 'cancelled';
  }
  const deadlinePassed = job.deadline !== undefined && Date.now() >= job.deadline;
  const failure = classifyFailure(outcome.error, deployment, deadlinePassed);
  await meter(js, context, call, { status: 'error', errorType: failure.type }, log);
  const cooldown = await context.limits.cooldown.recordFailure(deployment.id, failure.type);
  if (cooldown.coolingDownUntil !== undefined) {
    context.board.block(deployment.id, cooldown.coolingDownUntil);
  } else if (failure.type === 'rate_limit' && failure.retryAfterMs !== undefined) {
    context.board.block(deployment.id, Date.now() + failure.retryAfterMs);
  }
  const onHop = await context.failures.record(job, attemptOf(deployment, failure));
  log.info(
    {
      deployment: deployment.id,
      type: failure.type,
      code: failure.code,
      failuresOnModel: onHop.length,
    },
    'provider call failed',
  );

  if (deadlinePassed || outcome.chunksSent > 0) {
    await answerFailure(replies, job, failure, onHop);
    await context.failures.clear(job);
    await delivery.control.ack();
    return 'failed';
  }
  const retriesDone = onHop.length - 1;
  if (
    failure.wire.retryable &&
    retriesDone < retryBudget(deployment, failure.type, context.router)
  ) {
    delivery.control.nak(retryDelayMs(onHop.length, failure.retryAfterMs, context.random));
    return 'retried';
  }
  await publishDeadLetter(
    js,
    { ...job, route: [...job.route, { model: job.model, deployments: onHop }] },
    {
      errorType: failure.type,
      attempt: delivery.attempt,
      ...(delivery.replyTo === null ? {} : { replyTo: delivery.replyTo }),
      subjects: context.subjects,
      traceContext: delivery.traceContext,
    },
  );
  await context.failures.clear(job);
  await delivery.control.ack();
  return 'dead_lettered';
}

function cancelledError(job: CompletionJob) {
  return makeError('cancelled', 'cancelled', `job ${job.id} was cancelled by its caller`, {
    deployments_tried: deploymentsTried(job),
  });
}

/** The final error for a failure that is not retried nor dead-lettered. */
async function answerFailure(
  replies: JobReplies,
  job: CompletionJob,
  failure: ClassifiedFailure,
  onHop: readonly DeploymentAttempt[],
): Promise<void> {
  await replies.fail({ ...failure.wire, deployments_tried: deploymentsTried(job, onHop) }, job.id);
}

/**
 * Publishes the usage event of a call (retrying while the stream does not confirm it) and
 * returns it; a failure to publish is logged, not thrown.
 */
async function meter(
  js: JetStreamClient,
  context: JobHandlerContext,
  call: ProviderCall,
  outcome: UsageOutcome,
  log: Logger,
): Promise<UsageEventInput> {
  const event = usageEventFor(call, outcome);
  context.metrics.usage(event);
  await publishUsageDurably(js, event, { subjects: context.subjects, log });
  return event;
}

async function bestEffort(log: Logger, what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    log.error({ err: error }, `${what} failed`);
  }
}
