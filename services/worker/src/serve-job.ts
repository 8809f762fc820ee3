import type { JetStreamClient } from '@nats-io/jetstream';
import {
  makeError,
  type CompletionJob,
  type DeploymentAttempt,
  type UsageEventInput,
} from '@switchyard/contracts';
import { publishDeadLetter, type JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import type { BudgetHold } from './budget-gate';
import type { DeploymentLease } from './deployment-lease';
import type { JobHandlerContext } from './job-handler-context';
import type { JobReplies } from './job-replies';
import { publishUsageDurably } from './publish-usage-durably';
import { attemptOf, classifyFailure, type ClassifiedFailure } from './provider-failure';
import type { CacheTicket } from './response-cache/cache-step';
import { retryBudget, retryDelayMs } from './retry-policy';
import { runProviderCall } from './run-provider-call';
import {
  deploymentsTried,
  failuresInRoute,
  usageEventFor,
  usageEventIdOf,
  type ProviderCall,
  type UsageOutcome,
} from './served-job';
import type { JobOutcome } from './worker-metrics';

/** One job being served by this worker. */
export interface JobRun {
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

/**
 * Calls the provider for a leased job and settles it: on success the answer has been sent,
 * the rate limit, cooldown, budget and failure history are reconciled, the usage is metered
 * (and the answer cached) and the job is acked; on failure the call is metered and the job is
 * answered, retried with nak(delay) or dead-lettered (see README.md). Returns the outcome.
 */
export async function serveJob(
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
      bestEffort(log, 'settling the budget', () =>
        run.budget.settle(outcome.usage, usageEventIdOf(call)),
      ),
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

/** The error a cancelled job is answered with. */
export function cancelledError(job: CompletionJob) {
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
