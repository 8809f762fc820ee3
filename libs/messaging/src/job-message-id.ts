import type { CompletionJob } from '@switchyard/contracts';

/**
 * The `Nats-Msg-Id` of a job message: `<tenant>.<job id>` for a fresh job, and
 * `<tenant>.<job id>#<hop>` for a job the fallback router republished after `hop` models (the
 * length of its `route`).
 *
 * Job ids are the caller's, so they are scoped to the tenant: two tenants may use the same id
 * without one's job being dropped as a duplicate of the other's. With the hop, a republished
 * job is not taken for a duplicate of the original, and each hop is stored once however often
 * it is published. A tenant has no `.` and a job id no `#`, so the forms never collide. Dead
 * letters use the same id on the dead-letter stream.
 */
export function jobMessageId(job: Pick<CompletionJob, 'tenant' | 'id' | 'route'>): string {
  const id = `${job.tenant}.${job.id}`;
  return job.route.length === 0 ? id : `${id}#${job.route.length}`;
}
