import type { Deployment } from '@switchyard/config';
import type { JobRequest } from '@switchyard/contracts';
import type { Reservation } from '@switchyard/limits';
import type { DeploymentBoard } from './deployment-board';
import { rankDeployments, type DeploymentScore, type RandomSource } from './deployment-picker';
import type { WorkerLimits } from './worker-limits';

/** A deployment taken for one provider call: a slot on the board and its rate-limit reservation. */
export interface DeploymentLease {
  readonly deployment: Deployment;
  readonly reservation: Reservation;
  /**
   * The prompt's estimated input tokens on this deployment (its tokenizer), counted on first
   * use: a call without tpm limits, budgets or pre-call checks never needs it, and an OpenAI
   * tokenizer costs CPU per prompt and ≈ 70 MB of memory once loaded.
   */
  readonly estimatedInputTokens: () => number;
}

/**
 * The outcome of {@link leaseDeployment}: a lease; `busy` when no deployment can take the call
 * now; `too-long` when pre-call checks are on and no deployment of the board (free or not)
 * can hold the prompt, with the estimate on each.
 */
export type LeaseOutcome =
  | { readonly kind: 'leased'; readonly lease: DeploymentLease }
  | { readonly kind: 'busy' }
  | { readonly kind: 'too-long'; readonly estimates: ReadonlyMap<Deployment, number> };

/** What leaseDeployment needs besides the board and the shared limits. */
export interface LeaseOptions {
  /** Skip deployments whose `maxInputTokens` is below the estimate (`enable_pre_call_checks`). */
  preCallChecks: boolean;
  random?: RandomSource;
  /** The routing strategy's score (routingScore); absent: order and weight alone. */
  score?: DeploymentScore;
}

/** Whether `deployment` can take a prompt of `tokens` (an unknown window always can). */
export function holdsPrompt(deployment: Deployment, tokens: number): boolean {
  const max = deployment.limits.maxInputTokens;
  return max === undefined || tokens <= max;
}

/**
 * The estimate of `request` on each deployment, counted once per tokenizer target (deployments
 * of one provider model share it).
 */
export function estimatesFor(
  limits: WorkerLimits,
  request: JobRequest,
  deployments: readonly Deployment[],
): Map<Deployment, number> {
  const estimate = inputEstimator(limits, request);
  return new Map(deployments.map((deployment) => [deployment, estimate(deployment)]));
}

/** The estimate of `request` on a deployment, counted on first use once per tokenizer target. */
function inputEstimator(
  limits: WorkerLimits,
  request: JobRequest,
): (deployment: Deployment) => number {
  const byModel = new Map<string, number>();
  return (deployment) => {
    const model = `${deployment.baseModel ?? ''}\u0000${deployment.providerModel}`;
    let tokens = byModel.get(model);
    if (tokens === undefined) {
      tokens = limits.estimateInputTokens(request, deployment);
      byModel.set(model, tokens);
    }
    return tokens;
  };
}

/**
 * Takes a deployment for a call (its slot on the board is the caller's to release): among the
 * model's deployments that have a free slot, are not known to be blocked and (with pre-call
 * checks) can hold the prompt, ranked by order then weight (rankDeployments), the first that
 * is not cooling down (shared state) and has rate-limit room for the request. A deployment
 * found cooling down or out of room is blocked on the board until then, which pauses the
 * model's consumer once all are.
 */
export async function leaseDeployment(
  board: DeploymentBoard,
  limits: WorkerLimits,
  request: JobRequest,
  options: LeaseOptions,
): Promise<LeaseOutcome> {
  const estimate = inputEstimator(limits, request);
  const fits = (d: Deployment) => !options.preCallChecks || holdsPrompt(d, estimate(d));
  if (!board.deployments.some(fits)) {
    return { kind: 'too-long', estimates: estimatesFor(limits, request, board.deployments) };
  }
  const candidates = rankDeployments(board.usable().filter(fits), options.random, options.score);
  for (const deployment of candidates) {
    if (!board.tryAcquire(deployment.id)) continue;
    let leased = false;
    try {
      const coolingUntil = await limits.cooldown.coolingDownUntil(deployment.id);
      if (coolingUntil !== undefined && coolingUntil > Date.now()) {
        board.block(deployment.id, coolingUntil);
        continue;
      }
      const estimatedInputTokens = () => estimate(deployment);
      // Tokens count against a tpm limit only: without one, the prompt is not counted here.
      const reserved = await limits.rateLimiter.reserve(
        deployment,
        deployment.tpm === undefined ? 0 : estimatedInputTokens(),
      );
      if (!reserved.ok) {
        board.block(deployment.id, Date.now() + Math.max(1, reserved.waitMs));
        continue;
      }
      leased = true;
      return {
        kind: 'leased',
        lease: { deployment, reservation: reserved.reservation, estimatedInputTokens },
      };
    } finally {
      if (!leased) board.release(deployment.id);
    }
  }
  return { kind: 'busy' };
}
