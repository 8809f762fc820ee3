import { deploymentsTried, makeError, type SwitchyardError } from '@switchyard/contracts';
import type { JobHandler } from '@switchyard/messaging';
import type { JobHandlerContext } from './job-handler-context';
import { CallAbort } from './call-abort';
import { admitJob } from './job-admission';
import { jobReplies } from './job-replies';
import { JobSettler, type SettlerContext } from './job-settler';
import { cacheStep, noCacheTicket } from './response-cache/cache-step';
import { cancelledError, serveJob } from './serve-job';
import type { JobOutcome } from './worker-metrics';

/**
 * How many times the handler may fail on one job (throw, or leave it unsettled: a bug, a
 * Redis that does not answer) before the job is answered `handler_failed` instead of being
 * tried again; between failures the job waits with exponential backoff (consumeJobs).
 */
export const maxHandlerFailures = 5;

/**
 * The handler of one model's consumer: the per-job state machine of README.md. Invalid jobs
 * get an `invalid_job` reply and are terminated; a redelivered job already settled by a worker
 * that died before its ack is settled again from its record (no provider call); jobs past
 * their deadline get `deadline_exceeded`, jobs their caller cancelled get `cancelled`, and jobs
 * the handler keeps failing on get `handler_failed`, all unsent; otherwise the cache is asked,
 * a deployment leased and the budgets reserved (`admitJob`: or the job goes back to the stream
 * until one is free, is dead-lettered when its prompt fits no deployment, or gets
 * `budget_exceeded`), the provider is called, and the job settled (`serveJob`).
 */
export function createJobHandler(context: JobHandlerContext): JobHandler {
  const settlerContext: SettlerContext = {
    streams: context.streams,
    subjects: context.subjects,
    onUsage: (event) => context.metrics.usage(event),
  };
  return async (delivery) => {
    const log = context.logger.child({
      seq: delivery.streamSequence,
      attempt: delivery.attempt,
      ...(delivery.ok ? { jobId: delivery.job.id } : {}),
    });
    const replies = jobReplies({
      nc: context.nc,
      streams: context.streams,
      replyTo: delivery.replyTo,
      subjects: context.subjects,
      traceContext: delivery.traceContext,
      logger: log,
    });
    const finished = (outcome: JobOutcome) =>
      context.metrics.outcome(delivery.model, outcome, {
        consumer: delivery.consumer,
        pending: delivery.pending,
      });
    if (!delivery.ok) {
      log.warn({ code: delivery.error.code }, 'invalid job: answered and terminated');
      await replies.fail(delivery.error, delivery.jobId);
      delivery.control.term(`invalid_job: ${delivery.error.code}`);
      finished('invalid');
      return;
    }
    const job = delivery.job;
    const settler = new JobSettler(settlerContext, delivery, job, replies, log);
    const answerUnsent = async (error: SwitchyardError, outcome: JobOutcome) => {
      const settled = await settler.answerError(error);
      finished(settled === 'answered' ? outcome : settled);
    };
    if (delivery.deliveredBefore) {
      const record = await context.answers(job);
      if (record !== null && record.hop >= job.route.length) {
        finished(await settler.replay(record));
        return;
      }
    }
    if (delivery.handlerFailures >= maxHandlerFailures) {
      log.error({ failures: delivery.handlerFailures }, 'the handler keeps failing: answered');
      await answerUnsent(handlerFailedError(job.id, delivery.handlerFailures), 'failed');
      return;
    }
    const takenAt = Date.now();
    if (job.deadline !== undefined && takenAt >= job.deadline) {
      const error = makeError(
        'deadline_exceeded',
        'deadline_exceeded',
        `the job's deadline passed ${takenAt - job.deadline} ms before a worker could send it`,
        { deployments_tried: deploymentsTried(job.route) },
      );
      await answerUnsent(error, 'deadline_exceeded');
      return;
    }
    if (job.key_id !== undefined) {
      const owner = await context.keyOwner(job.key_id);
      if (owner !== job.tenant) {
        log.warn(
          { keyId: job.key_id },
          'job names a virtual key of another tenant, or none: refused',
        );
        await answerUnsent(keyNotOfTenantError(job.key_id, job.tenant, owner), 'invalid');
        return;
      }
    }
    if (context.cancellations.isCancelled(job)) {
      log.info('cancelled by its caller before it was sent: dropped');
      await answerUnsent(cancelledError(job), 'cancelled');
      return;
    }
    const caching =
      context.cache === undefined
        ? { answered: false as const, ticket: noCacheTicket }
        : await cacheStep(context.cache, delivery, job, replies, settler, takenAt, log);
    if (caching.answered) {
      finished(caching.outcome);
      return;
    }
    const { ticket } = caching;
    const admission = await admitJob(context, delivery, job, settler, log);
    if (!admission.ok) {
      await ticket.release();
      finished(admission.outcome);
      return;
    }
    const { lease, budget } = admission;
    const callAbort = new CallAbort(delivery.signal, job.deadline);
    const untrack = context.cancellations.track(job, callAbort);
    try {
      const run = {
        delivery,
        job,
        replies,
        settler,
        takenAt,
        callAbort,
        budget,
        log,
      };
      finished(await serveJob(context, run, lease, ticket));
    } finally {
      untrack();
      callAbort.dispose();
      context.board.release(lease.deployment.id);
      await ticket.release();
    }
  };
}

function keyNotOfTenantError(keyId: string, tenant: string, owner: string | undefined) {
  return makeError(
    'invalid_job',
    owner === undefined ? 'unknown_key' : 'key_not_of_tenant',
    owner === undefined
      ? `the job names virtual key ${keyId}, which does not exist`
      : `the job names virtual key ${keyId}, which is not a key of tenant ${tenant}`,
    { param: 'key_id' },
  );
}

function handlerFailedError(jobId: string, failures: number) {
  return makeError(
    'server',
    'handler_failed',
    `the worker failed ${failures} times on job ${jobId} (see its logs): answered instead of trying again`,
  );
}
