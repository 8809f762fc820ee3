import { reserveBudgetScript, settleBudgetScript } from './budget.scripts';
import type {
  BudgetCrossing,
  BudgetLedger,
  BudgetLedgerOptions,
  BudgetReservation,
  BudgetScope,
} from './budget-ledger.types';
import { budgetKey } from './limit-keys';
import type { RedisClient } from './redis-script';

const microsPerUsd = 1_000_000;

/** USD as integer micro-dollars, rounded up (what an estimate reserves). */
export function usdToMicros(usd: number): number {
  if (!Number.isFinite(usd) || usd < 0) {
    throw new RangeError(`a cost must be a finite number >= 0, got ${usd}`);
  }
  return Math.ceil(Math.round(usd * microsPerUsd * 1_000) / 1_000);
}

/** Micro-dollars as USD. */
export function microsToUsd(micros: number): number {
  return micros / microsPerUsd;
}

function micros(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number of micro-dollars >= 0, got ${value}`);
  }
  return value;
}

const durationOf = (scope: BudgetScope): number => scope.budgetDurationMs ?? 0;

function periodBounds(scope: BudgetScope, period: number) {
  const duration = durationOf(scope);
  return duration > 0
    ? { periodStart: period * duration, periodEnd: (period + 1) * duration }
    : { periodStart: 0 };
}

function crossing(
  scope: BudgetScope,
  threshold: 80 | 100,
  spentMicros: number,
  period: number,
): BudgetCrossing {
  return {
    scope,
    threshold,
    spentMicros,
    maxMicros: usdToMicros(scope.maxBudget),
    ...periodBounds(scope, period),
  };
}

/**
 * Creates the budget ledger over `redis` (see README.md: epoch-aligned periods, integer
 * micro-dollars, one atomic script per reservation and per settlement over all of a job's
 * scopes). Scopes of one call must share the tenant (their keys share a cluster slot).
 */
export function createBudgetLedger(redis: RedisClient, options: BudgetLedgerOptions): BudgetLedger {
  const keysOf = (scopes: readonly BudgetScope[]) =>
    scopes.map((scope) => budgetKey(options.keyPrefix, scope.tenant, scope.keyId));

  async function settle(reservation: BudgetReservation, actual: number, now?: number) {
    const { scopes } = reservation;
    if (scopes.length === 0) return [];
    const reply = (await settleBudgetScript.run(redis, keysOf(scopes), [
      now ?? '',
      reservation.micros,
      actual,
      ...scopes.flatMap((scope, i) => [
        usdToMicros(scope.maxBudget),
        durationOf(scope),
        reservation.periods[i] ?? -1,
      ]),
    ])) as [number, number, number, number][];
    return scopes.flatMap((scope, i) => {
      const [spent, period, crossed80, crossed100] = reply[i] ?? [0, 0, 0, 0];
      return [
        ...(crossed80 === 1 ? [crossing(scope, 80, spent, period)] : []),
        ...(crossed100 === 1 ? [crossing(scope, 100, spent, period)] : []),
      ];
    });
  }

  return {
    async reserve(scopes, estimateMicros, now) {
      const estimate = micros(estimateMicros, 'estimateMicros');
      if (scopes.length === 0) return { ok: true, reservation: { scopes, micros: 0, periods: [] } };
      const reply = (await reserveBudgetScript.run(redis, keysOf(scopes), [
        now ?? '',
        estimate,
        ...scopes.flatMap((scope) => [usdToMicros(scope.maxBudget), durationOf(scope)]),
      ])) as number[];
      if (reply[0] === 1) {
        return { ok: true, reservation: { scopes, micros: estimate, periods: reply.slice(2) } };
      }
      const [, index = 1, spent = 0, reserved = 0, period = 0, first = 0] = reply;
      const scope = scopes[index - 1] as BudgetScope;
      const refusal = {
        scope,
        spentMicros: spent,
        reservedMicros: reserved,
        maxMicros: usdToMicros(scope.maxBudget),
        estimateMicros: estimate,
      };
      return {
        ok: false,
        refusal,
        crossings: first === 1 ? [crossing(scope, 100, spent, period)] : [],
      };
    },
    async reconcile(reservation, actualMicros, now) {
      return settle(reservation, micros(actualMicros, 'actualMicros'), now);
    },
    async release(reservation, now) {
      await settle(reservation, 0, now);
    },
  };
}
