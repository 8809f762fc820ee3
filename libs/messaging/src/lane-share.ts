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
 * How many jobs a lane may pull now, out of `limit` slots shared by both lanes:
 * - interactive jobs take every free slot, except what batch is owed: while batch jobs wait,
 *   batch keeps {@link batchShare} slots, so a batch is never starved;
 * - batch jobs take free slots only while no interactive job waits, and their share always;
 * - a lane pulls what it knows to be waiting, at least 1.
 *
 * A lane with nothing in flight and nothing known to wait does not ask: the consumer keeps one
 * pull of one job open for it outside this count, so its first job starts at once even while
 * the other lane fills every slot (a consumer may thus run up to two jobs beyond `limit`).
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
