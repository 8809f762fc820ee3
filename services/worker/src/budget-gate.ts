import {
  longestCallMs,
  type Deployment,
  type SwitchyardConfig,
  type TenantSettings,
} from '@switchyard/config';
import {
  CONTRACT_VERSION,
  makeError,
  type BudgetEvent,
  isEmbeddingsRequest,
  type JobRequest,
  type CompletionJob,
  type CompletionUsage,
  type SwitchyardError,
} from '@switchyard/contracts';
import {
  budgetScopesOf,
  microsToUsd,
  usdToMicros,
  type BudgetCrossing,
  type BudgetLedger,
  type BudgetRefusal,
  type BudgetReservation,
  type BudgetScope,
} from '@switchyard/limits';
import type { Logger } from '@switchyard/telemetry';

/** What a budget reservation's lifetime adds to the longest provider call. */
const reservationMarginMs = 5 * 60_000;

/**
 * How long a job's budget reservation counts unless it is settled: the longest provider call
 * of the config plus 5 minutes, so a worker that dies mid-call frees the budget after that.
 */
export function budgetReservationTtlMs(config: SwitchyardConfig): number {
  return longestCallMs(config) + reservationMarginMs;
}

/** Output tokens a job without `max_completion_tokens` / `max_tokens` reserves budget for. */
export const defaultOutputReserveTokens = 1024;

/** What calls cost on a deployment, in USD; null when its price is unknown. */
export interface CallPricer {
  /** A call of `promptTokens` in and `completionTokens` out (a reservation's estimate). */
  estimate(deployment: Deployment, promptTokens: number, completionTokens: number): number | null;
  /** A call that reported `usage` (cached and reasoning tokens priced as the provider does). */
  actual(deployment: Deployment, usage: CompletionUsage): number | null;
}

/** A virtual key's budget, as its record in Redis holds it; undefined for an unknown key. */
export type KeyBudgetLookup = (
  keyId: string,
) => Promise<Pick<TenantSettings, 'maxBudget' | 'budgetDurationMs'> | undefined>;

/** Budget held for one job's call: settle it once, with its cost or by releasing it. */
export interface BudgetHold {
  /**
   * Replaces the reservation with the call's real cost (an unknown price releases it),
   * counted once for the call's usage event (`usageEventId`), which metering's rebuild of the
   * spend replays.
   */
  settle(usage: CompletionUsage, usageEventId: string): Promise<void>;
  /** Gives the reservation back: the call failed or never reached the provider. */
  release(): Promise<void>;
}

/** Checks and holds a job's budgets (its tenant's and its virtual key's) around its call. */
export interface BudgetGate {
  reserve(
    job: CompletionJob,
    deployment: Deployment,
    /** Counted only when the job has a budget to reserve from. */
    estimatedInputTokens: () => number,
    log: Logger,
  ): Promise<{ ok: true; hold: BudgetHold } | { ok: false; error: SwitchyardError }>;
}

/** What a budget gate is built from. */
export interface BudgetGateOptions {
  ledger: BudgetLedger;
  /** `config.switchyard.tenants`. */
  tenants: Readonly<Record<string, TenantSettings>>;
  /** Looks up a virtual key's budget; absent means keys have no budgets. */
  keyBudgets?: KeyBudgetLookup;
  price: CallPricer;
  /** Publishes a budget event (core NATS; a failure is the publisher's to log). */
  publish(event: BudgetEvent): void;
  logger: Logger;
}

const noHold: BudgetHold = { settle: () => Promise.resolve(), release: () => Promise.resolve() };

/** The output tokens a reservation counts: what the caller allows, at most the deployment's (none for embeddings). */
export function outputReserveTokens(request: JobRequest, deployment: Deployment) {
  if (isEmbeddingsRequest(request)) return 0;
  const asked = request.max_completion_tokens ?? request.max_tokens ?? defaultOutputReserveTokens;
  return Math.min(asked, deployment.limits.maxOutputTokens ?? asked);
}

function eventOf(crossing: BudgetCrossing, at: number): BudgetEvent {
  const { scope } = crossing;
  return {
    v: CONTRACT_VERSION,
    type: 'budget.threshold',
    tenant: scope.tenant,
    scope: scope.keyId === undefined ? 'tenant' : 'key',
    ...(scope.keyId === undefined ? {} : { key_id: scope.keyId }),
    threshold: crossing.threshold,
    spent_usd: microsToUsd(crossing.spentMicros),
    max_budget_usd: scope.maxBudget,
    period_start: crossing.periodStart,
    ...(crossing.periodEnd === undefined ? {} : { period_end: crossing.periodEnd }),
    at,
  };
}

function refusalError(refusal: BudgetRefusal): SwitchyardError {
  const { scope } = refusal;
  const whose = scope.keyId === undefined ? `tenant ${scope.tenant}` : `virtual key ${scope.keyId}`;
  const usd = (micros: number) => `$${microsToUsd(micros).toFixed(6)}`;
  return makeError(
    'budget_exceeded',
    'budget_exceeded',
    `the budget of ${whose} has no room for this job: spent ${usd(refusal.spentMicros)} + ` +
      `reserved ${usd(refusal.reservedMicros)} + this job's estimate ` +
      `${usd(refusal.estimateMicros)} > max ${usd(refusal.maxMicros)} per period`,
  );
}

/**
 * The worker's budget gate over a ledger (see README.md "Budgets"): a job's scopes are its
 * tenant's budget (`switchyard.tenants.<id>.max_budget`) and its virtual key's (`key_id`), each
 * when set. The estimate is the deployment's price of the estimated input tokens and the
 * output reserve; an unknown price reserves 0 and is logged once per deployment.
 */
export function createBudgetGate(options: BudgetGateOptions): BudgetGate {
  const { ledger, tenants, logger } = options;
  const unpriced = new Set<string>();
  const warnUnpriced = (deployment: Deployment) => {
    if (unpriced.has(deployment.id)) return;
    unpriced.add(deployment.id);
    logger.warn(
      { deployment: deployment.id, providerModel: deployment.providerModel },
      'no price for this deployment: budgets reserve 0 for its calls and cannot count their spend',
    );
  };
  const publish = (crossings: readonly BudgetCrossing[]) => {
    const at = Date.now();
    for (const crossing of crossings) options.publish(eventOf(crossing, at));
  };

  async function scopesOf(job: CompletionJob): Promise<BudgetScope[]> {
    const tenant = Object.hasOwn(tenants, job.tenant) ? tenants[job.tenant] : undefined;
    const key =
      job.key_id !== undefined && options.keyBudgets !== undefined
        ? await options.keyBudgets(job.key_id)
        : undefined;
    return budgetScopesOf(job.tenant, tenant, job.key_id, key);
  }

  function holdFor(reservation: BudgetReservation, deployment: Deployment): BudgetHold {
    let settled = false;
    const once = async (run: () => Promise<void>) => {
      if (settled) return;
      settled = true;
      await run();
    };
    return {
      settle: (usage, usageEventId) =>
        once(async () => {
          const costUsd = options.price.actual(deployment, usage);
          if (costUsd === null) {
            warnUnpriced(deployment);
            await ledger.release(reservation);
            return;
          }
          publish(await ledger.reconcile(reservation, usdToMicros(costUsd), { usageEventId }));
        }),
      release: () => once(() => ledger.release(reservation)),
    };
  }

  return {
    async reserve(job, deployment, estimatedInputTokens, log) {
      const scopes = await scopesOf(job);
      if (scopes.length === 0) return { ok: true, hold: noHold };
      const output = outputReserveTokens(job.request, deployment);
      const estimate = options.price.estimate(deployment, estimatedInputTokens(), output);
      if (estimate === null) warnUnpriced(deployment);
      const result = await ledger.reserve(scopes, usdToMicros(estimate ?? 0));
      if (result.ok) return { ok: true, hold: holdFor(result.reservation, deployment) };
      publish(result.crossings);
      log.info({ refusal: result.refusal }, 'over budget: answered budget_exceeded, not sent');
      return { ok: false, error: refusalError(result.refusal) };
    },
  };
}
