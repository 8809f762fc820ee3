import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { Reservation } from '@switchyard/limits';
import type { DeploymentBoard } from './deployment-board';
import { rankDeployments, type RandomSource } from './deployment-picker';
import type { WorkerLimits } from './worker-limits';

/** A deployment taken for one provider call: a slot on the board and its rate-limit reservation. */
export interface DeploymentLease {
  readonly deployment: Deployment;
  readonly reservation: Reservation;
}

/**
 * Takes a deployment for a call (its slot on the board is the caller's to release): among the
 * model's deployments that have a free slot and are not known to be blocked, ranked by order then weight (rankDeployments), the first that is
 * not cooling down (shared state) and has rate-limit room for the request. A deployment found
 * cooling down or out of room is blocked on the board until then, which pauses the model's
 * consumer once all are. Resolves to undefined when none can take the call now.
 */
export async function leaseDeployment(
  board: DeploymentBoard,
  limits: WorkerLimits,
  request: ChatCompletionRequest,
  random: RandomSource = Math.random,
): Promise<DeploymentLease | undefined> {
  const candidates = rankDeployments(board.usable(), random);
  if (candidates.length === 0) return undefined;
  const estimate = limits.estimateInputTokens(request);
  for (const deployment of candidates) {
    if (!board.tryAcquire(deployment.id)) continue;
    let leased = false;
    try {
      const coolingUntil = await limits.cooldown.coolingDownUntil(deployment.id);
      if (coolingUntil !== undefined && coolingUntil > Date.now()) {
        board.block(deployment.id, coolingUntil);
        continue;
      }
      const reserved = await limits.rateLimiter.reserve(deployment, estimate);
      if (!reserved.ok) {
        board.block(deployment.id, Date.now() + Math.max(1, reserved.waitMs));
        continue;
      }
      leased = true;
      return { deployment, reservation: reserved.reservation };
    } finally {
      if (!leased) board.release(deployment.id);
    }
  }
  return undefined;
}
