import { jetstream } from '@nats-io/jetstream';
import { makeError } from '@switchyard/contracts';
import type { JobHandler } from '@switchyard/messaging';
import type { JobHandlerContext } from './job-handler-context';
import { admitJob } from './job-admission';
import { jobReplies } from './job-replies';
import { cacheStep, noCacheTicket } from './response-cache/cache-step';
import { cancelledError, serveJob } from './serve-job';
import { deploymentsTried } from './served-job';
import type { JobOutcome } from './worker-metrics';

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
      finished(await serveJob(context, js, run, lease, ticket));
    } finally {
      cancel.done();
      context.board.release(lease.deployment.id);
      await ticket.release();
    }
  };
}
