import type { ErrorType } from '@switchyard/contracts';

/** What the worker knows about a provider call once it is over. */
export interface CallFacts {
  /** The provider answered (the answer is ready to send). */
  ok: boolean;
  /** Stream chunks the caller has already been sent. */
  chunksSent: number;
  /** The consumer is stopping and hands its jobs back (the delivery's signal aborted). */
  handedBack: boolean;
  /** The caller cancelled the job while it ran. */
  cancelled: boolean;
  /** The job's deadline has passed. */
  deadlinePassed: boolean;
  /** The classified failure of a call that did not answer. */
  failure?: { type: ErrorType; retryable: boolean };
  /** Failed calls of the job on this model so far, this one included. */
  failuresOnModel: number;
  /** How many times this failure may be retried on this model (retry policy). */
  retryBudget: number;
}

/**
 * How a job is settled after its call:
 * - `answer`: send the provider's answer;
 * - `fail`: answer with a final error: the call's own (`error`), `cancelled`, or `stream_cut`
 *   (a stream under way when the worker stopped: the caller gets one generation or this error,
 *   never text of two);
 * - `retry`: give the job back to the queue for another call on the same model;
 * - `dead_letter`: the model is done with it; the fallback router takes over;
 * - `hand_back`: the worker is stopping; another worker runs the job from the start.
 */
export type Settlement =
  | { kind: 'answer' }
  | { kind: 'fail'; reason: 'error' | 'cancelled' | 'stream_cut' }
  | { kind: 'retry' }
  | { kind: 'dead_letter' }
  | { kind: 'hand_back' };

/**
 * Decides how to settle a job after its provider call (README.md, "How a job is settled").
 * Pure: the I/O of each settlement is JobSettler's. A stream that has sent chunks is never
 * retried, handed back or sent elsewhere, since a second generation would follow the first;
 * a job past its deadline is answered, never retried.
 */
export function decideSettlement(facts: CallFacts): Settlement {
  if (facts.ok) return { kind: 'answer' };
  if (facts.handedBack) {
    return facts.chunksSent > 0 ? { kind: 'fail', reason: 'stream_cut' } : { kind: 'hand_back' };
  }
  if (facts.cancelled) return { kind: 'fail', reason: 'cancelled' };
  if (facts.deadlinePassed || facts.chunksSent > 0) return { kind: 'fail', reason: 'error' };
  const retriesDone = facts.failuresOnModel - 1;
  if (facts.failure?.retryable === true && retriesDone < facts.retryBudget) {
    return { kind: 'retry' };
  }
  return { kind: 'dead_letter' };
}
