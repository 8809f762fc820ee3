import {
  deploymentsTried,
  failedCallsInRoute,
  makeError,
  newCallId,
  type CompletionJob,
  type CompletionUsage,
  type DeploymentAttempt,
} from '@switchyard/contracts';
import { estimateTextTokens } from '@switchyard/limits';
import type { JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import type { BudgetHold } from './budget-gate';
import type { CallAbort } from './call-abort';
import type { DeploymentLease } from './deployment-lease';
import type { JobHandlerContext } from './job-handler-context';
import type { JobReplies } from './job-replies';
import type { JobSettler } from './job-settler';
import { attemptOf, classifyFailure } from './provider-failure';
import type { CacheTicket } from './response-cache/cache-step';
import { retryBudget, retryDelayMs } from './retry-policy';
import { runProviderCall, type CallOutcome } from './run-provider-call';
import { usageEventFor, type ProviderCall } from './answer-accounting';
import { decideSettlement } from './settle-decision';
import type { JobOutcome } from './worker-metrics';

/** One job being served by this worker. */
export interface JobRun {
  delivery: JobDelivery & { ok: true };
  job: CompletionJob;
  replies: JobReplies;
  settler: JobSettler;
  /** When the worker took the job (epoch ms). */
  takenAt: number;
  /** What aborts the provider call: the job handed back, cancelled, or past its deadline. */
  callAbort: CallAbort;
  /** The job's budget reservation, settled with the call's cost or released. */
  budget: BudgetHold;
  log: Logger;
}

/**
 * Calls the provider for a leased job and settles it (decideSettlement, then the JobSettler):
 * on success the rate limit, cooldown, budget and failure history are reconciled, the answer
 * cached, and the answer recorded, sent, metered and acked; on failure the call is metered
 * (a stream cut or a call aborted midway with the tokens it had consumed, estimated) and the
 * job answered, retried with nak(delay), handed back or dead-lettered. Bookkeeping in Redis
 * after the call is best effort: it never makes the provider be called again.
 */
export async function serveJob(
  context: JobHandlerContext,
  run: JobRun,
  lease: DeploymentLease,
  cacheTicket: CacheTicket,
): Promise<JobOutcome> {
  const { delivery, job, replies, settler, takenAt, callAbort, log } = run;
  const { deployment, reservation } = lease;
  const earlierOnHop = delivery.attempt > 1 ? await context.failures.list(job) : [];
  const call: ProviderCall = {
    callId: newCallId(),
    job,
    deployment,
    attempt: delivery.attempt,
    earlierFailures: failedCallsInRoute(job.route) + earlierOnHop.length,
    takenAt,
    callStartedAt: takenAt,
    callEndedAt: takenAt,
  };
  const outcome = await runProviderCall(call, {
    replies,
    dropParams: context.dropParams,
    signal: callAbort.signal,
    keepCompletion: cacheTicket.keepCompletion,
  });
  const bestEffort = bestEffortIn(log);

  if (outcome.ok) {
    context.board.recordAnswer(
      deployment.id,
      call.callEndedAt - call.callStartedAt,
      outcome.usage.completion_tokens,
      outcome.usage.total_tokens,
    );
    const event = usageEventFor(call, { status: 'success', usage: outcome.usage });
    await Promise.all([
      bestEffort('reconciling the rate limit', () =>
        context.limits.rateLimiter.reconcile(reservation, outcome.usage.total_tokens),
      ),
      bestEffort('recording the success', () =>
        context.limits.cooldown.recordSuccess(deployment.id),
      ),
      bestEffort('settling the budget', () => run.budget.settle(outcome.usage, event.id)),
      cacheTicket.store(outcome.completion, deployment, event.cost_usd ?? null),
      earlierOnHop.length > 0
        ? bestEffort('clearing the failure history', () => context.failures.clear(job))
        : undefined,
    ]);
    return settler.answer({ reply: outcome.final, msgId: `${job.id}:final`, usage: [event] });
  }

  const handedBack = delivery.signal.aborted;
  const wasCancelled = !handedBack && callAbort.cancelled;
  const deadlinePassed = job.deadline !== undefined && Date.now() >= job.deadline;
  const failure = classifyFailure(outcome.error, deployment, deadlinePassed);
  const spent = consumedTokens(outcome, lease, handedBack || wasCancelled || deadlinePassed);
  const event = usageEventFor(call, {
    status: 'error',
    errorType: handedBack ? 'timeout' : wasCancelled ? 'cancelled' : failure.type,
    ...(spent === undefined ? {} : { usage: spent, estimated: true }),
  });
  await Promise.all([
    bestEffort('reconciling the rate limit', () =>
      context.limits.rateLimiter.reconcile(reservation, spent?.total_tokens ?? 0),
    ),
    bestEffort('settling the budget', () =>
      spent === undefined ? run.budget.release() : run.budget.settle(spent, event.id),
    ),
  ]);

  let onHop: DeploymentAttempt[] = [...earlierOnHop, attemptOf(deployment, failure)];
  if (!handedBack && !wasCancelled) {
    const cooldown = await context.limits.cooldown
      .recordFailure(deployment.id, failure.type)
      .catch((error: unknown) => {
        log.error({ err: error }, 'recording the failure for cooldown failed');
        return { coolingDownUntil: undefined };
      });
    if (cooldown.coolingDownUntil !== undefined) {
      context.board.block(deployment.id, cooldown.coolingDownUntil);
    } else if (failure.type === 'rate_limit' && failure.retryAfterMs !== undefined) {
      context.board.block(deployment.id, Date.now() + failure.retryAfterMs);
    }
    onHop = await context.failures
      .record(job, attemptOf(deployment, failure))
      .catch((error: unknown) => {
        log.error({ err: error }, 'recording the failure history failed; counting from memory');
        return onHop;
      });
  }
  log.info(
    {
      deployment: deployment.id,
      type: failure.type,
      code: failure.code,
      failuresOnModel: onHop.length,
    },
    'provider call failed',
  );

  const decision = decideSettlement({
    ok: false,
    chunksSent: outcome.chunksSent,
    handedBack,
    cancelled: wasCancelled,
    deadlinePassed,
    failure: { type: failure.type, retryable: failure.wire.retryable },
    failuresOnModel: onHop.length,
    retryBudget: retryBudget(deployment, failure.type, context.router),
  });
  const forget = () =>
    bestEffort('clearing the failure history', () => context.failures.clear(job));
  switch (decision.kind) {
    case 'hand_back':
      await settler.meterOnly([event]);
      return 'handed_back';
    case 'retry':
      return settler.retry(retryDelayMs(onHop.length, failure.retryAfterMs, context.random), [
        event,
      ]);
    case 'dead_letter': {
      const outcome = await settler.deadLetter(onHop, failure.type, [event]);
      await forget();
      return outcome;
    }
    case 'fail': {
      if (decision.reason === 'cancelled') {
        log.info({ deployment: deployment.id }, 'cancelled by its caller: provider call aborted');
      }
      const error =
        decision.reason === 'cancelled'
          ? cancelledError(job)
          : decision.reason === 'stream_cut'
            ? streamCutError(job, outcome.chunksSent)
            : { ...failure.wire, deployments_tried: deploymentsTried(job.route, onHop) };
      const settled = await settler.answerError(error, [event]);
      await forget();
      if (settled !== 'answered') return settled;
      return decision.reason === 'cancelled' ? 'cancelled' : 'failed';
    }
    case 'answer':
      throw new Error('a failed call cannot be answered');
  }
}

/** The error a cancelled job is answered with. */
export function cancelledError(job: CompletionJob) {
  return makeError('cancelled', 'cancelled', `job ${job.id} was cancelled by its caller`, {
    deployments_tried: deploymentsTried(job.route),
  });
}

/** The error a stream is ended with when its worker stopped after sending part of it. */
export function streamCutError(job: CompletionJob, chunksSent: number) {
  return makeError(
    'server',
    'stream_cut',
    `the stream of job ${job.id} was cut after ${chunksSent} chunks (its worker stopped); ` +
      'it is not restarted elsewhere, so no two generations are mixed: send the request again',
    { deployments_tried: deploymentsTried(job.route) },
  );
}

/**
 * The tokens a failed call consumed when the provider never said: for a call the worker
 * aborted (cancelled, handed back, past its deadline) or a stream that had sent text, the
 * prompt and the text that arrived; undefined for a call the provider refused (nothing spent).
 */
function consumedTokens(
  outcome: Extract<CallOutcome, { ok: false }>,
  lease: DeploymentLease,
  aborted: boolean,
): CompletionUsage | undefined {
  if (!aborted && outcome.streamedText === '') return undefined;
  const prompt = lease.estimatedInputTokens();
  const completion = estimateTextTokens(outcome.streamedText, lease.deployment);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

function bestEffortIn(log: Logger) {
  return async (what: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      log.error({ err: error }, `${what} failed`);
    }
  };
}
