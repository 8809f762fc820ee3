import type { Deployment } from '@switchyard/config';
import type { CompletionJob, DeploymentAttempt } from '@switchyard/contracts';
import type { JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import { estimatesFor, holdsPrompt } from './deployment-lease';
import type { FailureHistory } from './failure-history';
import type { JobSettler } from './job-settler';
import type { WorkerLimits } from './worker-limits';

/** How long a job too long for this pool waits before another pool of its model may take it. */
export const otherPoolRetryMs = 100;

/** What sending on a prompt too long for this pool's deployments needs. */
export interface TooLongContext {
  limits: WorkerLimits;
  failures: FailureHistory;
  /** Every deployment of the job's model, on every provider (from the config). */
  modelDeployments: readonly Deployment[];
}

/** The attempt a deployment skipped by the pre-call check is recorded as. */
export function skippedAttempt(deployment: Deployment, tokens: number): DeploymentAttempt {
  return {
    deployment: deployment.id,
    provider: deployment.provider,
    type: 'context_window_exceeded',
    code: 'pre_call_check',
    message:
      `skipped without a call: the prompt is about ${tokens} tokens, more than this ` +
      `deployment's max_input_tokens of ${deployment.limits.maxInputTokens}`,
  };
}

/**
 * A job whose prompt no deployment of this pool can hold (pre-call checks, see README.md):
 * when a deployment of the model on another provider can, the job goes back to the stream
 * (nak) for that pool; when none can, it is dead-lettered as `context_window_exceeded`, each
 * deployment recorded as skipped, and the fallback router sends it to the model's
 * `context_window_fallbacks`. No provider is called either way. Returns which it was.
 */
export async function routeTooLong(
  context: TooLongContext,
  delivery: JobDelivery & { ok: true },
  job: CompletionJob,
  settler: JobSettler,
  estimates: ReadonlyMap<Deployment, number>,
  log: Logger,
): Promise<'waiting' | 'dead_lettered' | 'retried'> {
  const own = new Set([...estimates.keys()].map((d) => d.id));
  const others = context.modelDeployments.filter((d) => !own.has(d.id));
  const otherEstimates = estimatesFor(context.limits, job.request, others);
  if (others.some((d) => holdsPrompt(d, otherEstimates.get(d) ?? 0))) {
    log.info('prompt too long for this pool: left for another provider of the model');
    delivery.control.nak(otherPoolRetryMs);
    return 'waiting';
  }
  const earlier = delivery.attempt > 1 ? await context.failures.list(job) : [];
  const skipped = [...estimates, ...otherEstimates].map(([d, tokens]) => skippedAttempt(d, tokens));
  log.info({ deployments: skipped.length }, 'prompt too long for every deployment: dead-lettered');
  const outcome = await settler.deadLetter([...earlier, ...skipped], 'context_window_exceeded', []);
  if (earlier.length > 0) await context.failures.clear(job).catch(() => undefined);
  return outcome;
}
