import { deploymentsTried, type CompletionJob } from '@switchyard/contracts';
import type { JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import type { BudgetGate, BudgetHold } from './budget-gate';
import type { DeploymentBoard } from './deployment-board';
import { leaseDeployment, type DeploymentLease } from './deployment-lease';
import type { DeploymentScore, RandomSource } from './deployment-picker';
import type { JobSettler } from './job-settler';
import { routeTooLong, type TooLongContext } from './pre-call-check';

/** The nak delay of a job that found every deployment busy but none blocked. */
const busyRetryMs = 250;

/** What admitting a job to a provider call uses. */
export interface AdmissionContext extends TooLongContext {
  board: DeploymentBoard;
  budgets: BudgetGate;
  /** `router_settings.enable_pre_call_checks`. */
  preCallChecks: boolean;
  random?: RandomSource;
  routingScore?: DeploymentScore;
}

/** A job cleared for its provider call, or one already settled (nak'd, dead-lettered, answered). */
export type Admission =
  | { readonly ok: true; readonly lease: DeploymentLease; readonly budget: BudgetHold }
  | {
      readonly ok: false;
      readonly outcome: 'waiting' | 'dead_lettered' | 'budget_exceeded' | 'retried';
    };

/**
 * The steps between taking a job and calling its provider: lease a deployment that can hold
 * the prompt (else nak while all are busy, or `routeTooLong`), then reserve the job's budgets
 * on that deployment's price. A job over budget is answered `budget_exceeded` and acked: never
 * sent, not dead-lettered, not metered; its lease is given back.
 */
export async function admitJob(
  context: AdmissionContext,
  delivery: JobDelivery & { ok: true },
  job: CompletionJob,
  settler: JobSettler,
  log: Logger,
): Promise<Admission> {
  const outcome = await leaseDeployment(context.board, context.limits, job.request, {
    preCallChecks: context.preCallChecks,
    ...(context.routingScore === undefined ? {} : { score: context.routingScore }),
    ...(context.random === undefined ? {} : { random: context.random }),
  });
  if (outcome.kind === 'busy') {
    delivery.control.nak(context.board.waitMs() || busyRetryMs);
    return { ok: false, outcome: 'waiting' };
  }
  if (outcome.kind === 'too-long') {
    const routed = await routeTooLong(context, delivery, job, settler, outcome.estimates, log);
    return { ok: false, outcome: routed };
  }
  const { lease } = outcome;
  const giveBack = async () => {
    context.board.release(lease.deployment.id);
    await context.limits.rateLimiter.release(lease.reservation);
  };
  let budget: Awaited<ReturnType<BudgetGate['reserve']>>;
  try {
    budget = await context.budgets.reserve(job, lease.deployment, lease.estimatedInputTokens, log);
  } catch (error) {
    await giveBack();
    throw error;
  }
  if (budget.ok) return { ok: true, lease, budget: budget.hold };
  await giveBack();
  const settled = await settler.answerError({
    ...budget.error,
    deployments_tried: deploymentsTried(job.route),
  });
  return { ok: false, outcome: settled === 'answered' ? 'budget_exceeded' : settled };
}
