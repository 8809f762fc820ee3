import { z } from 'zod';

/**
 * The lanes a job can wait in. Workers serve `interactive` jobs first (someone is waiting
 * for the answer) and keep a share of their slots for `batch` jobs, so a batch is never
 * starved. A job without a priority is interactive.
 */
export const JobPriorities = ['interactive', 'batch'] as const;
export type JobPriority = (typeof JobPriorities)[number];

export const jobPrioritySchema = z.enum(JobPriorities);

/** The lane of a job whose `priority` may be absent. */
export function laneOf(job: { priority?: JobPriority | undefined }): JobPriority {
  return job.priority ?? 'interactive';
}

/**
 * The lane of LiteLLM's numeric request `priority` (lower is more urgent, 0 the most): 0 and
 * below are interactive, anything above is batch.
 */
export function laneOfLiteLlmPriority(priority: number): JobPriority {
  return priority <= 0 ? 'interactive' : 'batch';
}
