import type { JobPriority } from '@switchyard/contracts';

/** What a consumer knows about one priority lane when it decides how many jobs to pull. */
export interface LaneState {
  /** Jobs of the lane being handled. */
  inFlight: number;
  /** Slots held by the lane's open pull (jobs it may still deliver). */
  claimed: number;
  /** Jobs known to wait in the lane's consumer (the last delivery's pending count; 0 once a pull came back short). */
  backlog: number;
}

/**
 * The share of a consumer's slots kept for batch jobs while interactive jobs would take them
 * all: a tenth, at least 1 (none at concurrency 1, where batch runs only when no interactive
 * job waits).
 */
export function batchShare(limit: number): number {
  return limit < 2 ? 0 : Math.max(1, Math.floor(limit / 10));
}

/**
 * The most jobs one pull asks for. The server sends a pull's jobs in one burst, and everything
 * else it has for the connection afterwards: the acknowledgements of the answers the worker
 * records meanwhile, the replies of its API requests. A worker reads and starts each job as it
 * arrives (about a millisecond of its CPU on a busy worker), so a pull of 10,000 jobs kept
 * those waiting for seconds, past their 5 s timeout: in a 10,000-job drain, thousands of
 * answers recorded a second time (deduplicated) and the tenants' scan's stream read timing
 * out. A lane that has more to take pulls again as soon as a pull has delivered them all.
 */
export const maxPullJobs = 256;

/**
 * How many jobs one pull from a tenant's consumer asks for, when the lane may take `laneSize`
 * (see pullSize) from `waitingTenants` consumers with jobs waiting, this one with `backlog`
 * known to wait: an equal part of the lane's, no more than are known to wait, at least 1, at
 * most {@link maxPullJobs}.
 */
export function tenantPullSize(laneSize: number, waitingTenants: number, backlog: number): number {
  const part = Math.ceil(laneSize / Math.max(1, waitingTenants));
  return Math.max(1, Math.min(part, backlog, maxPullJobs));
}

/**
 * How many jobs a lane may pull now, out of `limit` slots shared by both lanes:
 * - interactive jobs take every free slot, except what batch is owed: while batch jobs wait,
 *   batch keeps {@link batchShare} slots, so a batch is never starved;
 * - batch jobs take free slots only while no interactive job waits, and their share always;
 * - a lane pulls what it knows to be waiting, at least 1 (in pulls of at most
 *   {@link maxPullJobs}, see tenantPullSize).
 *
 * A lane with nothing in flight and nothing known to wait does not ask: the consumer keeps a
 * pull open for it (its doorbell, see doorbellJobs) with one slot outside this count, so its
 * first job starts at once even while the other lane fills every slot (a consumer may thus run
 * up to two jobs beyond `limit`); a doorbell's other slots are claimed like a pull's.
 */
export function pullSize(
  priority: JobPriority,
  limit: number,
  lanes: Readonly<Record<JobPriority, LaneState>>,
): number {
  const { interactive, batch } = lanes;
  const used = (lane: LaneState) => lane.inFlight + lane.claimed;
  const free = limit - used(interactive) - used(batch);
  if (free <= 0) return 0;
  const owedToBatch = Math.max(0, batchShare(limit) - used(batch));
  const allowed =
    priority === 'interactive'
      ? free - (batch.backlog > 0 ? owedToBatch : 0)
      : interactive.backlog > 0
        ? Math.min(free, owedToBatch)
        : free;
  return Math.max(0, Math.min(allowed, Math.max(1, lanes[priority].backlog)));
}

/** The most jobs one doorbell asks for. */
export const maxDoorbellJobs = 16;

/**
 * How many jobs a consumer's doorbell (the pull it keeps open while nothing is known to wait)
 * asks for: a batch consumer's, one (a batch arrives in bulk, and its first job's pending count
 * starts the lane's pulls); an interactive consumer's, what it has grown to (see
 * nextDoorbellSize), at most half the free slots. A doorbell that takes each job of a steady
 * trickle one at a time would be renewed after every job: a pull request more per job.
 */
export function doorbellJobs(priority: JobPriority, grownTo: number, freeSlots: number): number {
  if (priority === 'batch') return 1;
  return Math.max(1, Math.min(grownTo, maxDoorbellJobs, Math.floor(freeSlots / 2)));
}

/**
 * The size of a consumer's next doorbell after one that asked for `size` jobs got `delivered`:
 * twice as large when it was filled (jobs keep arriving), up to {@link maxDoorbellJobs}; 1 when
 * it expired short, so an idle consumer holds no more than one slot.
 */
export function nextDoorbellSize(size: number, delivered: number): number {
  return delivered >= size ? Math.min(maxDoorbellJobs, size * 2) : 1;
}
