import type { CompletionJob } from '@switchyard/contracts';

/**
 * The `Nats-Msg-Id` of a job message: the job id for a fresh job, and `<job id>#<hop>` for a
 * job the fallback router republished after `hop` models (the length of its `route`).
 *
 * The job id alone would make JetStream drop the republished job as a duplicate of the
 * original when both fall within the duplicate window; with the hop, each hop is stored once
 * however often it is published. `#` cannot occur in a job id, so the forms never collide.
 * Dead letters use the same id on the dead-letter stream.
 */
export function jobMessageId(job: Pick<CompletionJob, 'id' | 'route'>): string {
  return job.route.length === 0 ? job.id : `${job.id}#${job.route.length}`;
}
