import { randomBytes } from 'node:crypto';
import { USAGE_MAX_AGE_MS } from '@switchyard/contracts';
import { reserveBudgetScript, settleBudgetScript } from './budget.scripts';
import type {
  BudgetCrossing,
  BudgetLedger,
  BudgetLedgerOptions,
  BudgetReservation,
  BudgetScope,
} from './budget-ledger.types';
import { budgetCountedKey, budgetHoldsKey, budgetKey } from './limit-keys';
import type { RedisClient } from './redis-script';

/** Defaults of the optional {@link BudgetLedgerOptions}. */
export const BudgetLedgerDefaults = {
  reservationTtlMs: 15 * 60_000,
  countedTtlMs: USAGE_MAX_AGE_MS + 86_400_000,
} as const;

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
 * scopes, reservations that expire). Scopes of one call must share the tenant (their keys
 * share a cluster slot).
 */
export function createBudgetLedger(redis: RedisClient, options: BudgetLedgerOptions): BudgetLedger {
  const { keyPrefix } = options;
  const reservationTtlMs = options.reservationTtlMs ?? BudgetLedgerDefaults.reservationTtlMs;
  const countedTtlMs = options.countedTtlMs ?? BudgetLedgerDefaults.countedTtlMs;
  const keysOf = (scopes: readonly BudgetScope[]) =>
    scopes.flatMap((scope) => [
      budgetKey(keyPrefix, scope.tenant, scope.keyId),
      budgetHoldsKey(keyPrefix, scope.tenant, scope.keyId),
    ]);
  const limitsOf = (scopes: readonly BudgetScope[]) =>
    scopes.flatMap((scope) => [usdToMicros(scope.maxBudget), durationOf(scope)]);
  const holdMember = (reservation: BudgetReservation) => `${reservation.micros}:${reservation.id}`;

  interface Settlement {
    scopes: readonly BudgetScope[];
    estimate: number;
    actual: number;
    hold: string;
    at?: number;
    usageEventId?: string;
    now?: number;
  }

  async function settle(s: Settlement): Promise<readonly BudgetCrossing[]> {
    const { scopes } = s;
    const tenant = scopes[0]?.tenant;
    if (tenant === undefined) return [];
    const marker =
      s.usageEventId === undefined ? [] : [budgetCountedKey(keyPrefix, tenant, s.usageEventId)];
    const reply = (await settleBudgetScript.run(
      redis,
      [...keysOf(scopes), ...marker],
      [s.now ?? '', s.estimate, s.actual, s.hold, s.at ?? '', countedTtlMs, ...limitsOf(scopes)],
    )) as [number, number, number, number][];
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
      if (scopes.length === 0) {
        return { ok: true, reservation: { scopes, micros: 0, id: '', expiresAt: 0 } };
      }
      const id = randomBytes(12).toString('base64url');
      const reply = (await reserveBudgetScript.run(redis, keysOf(scopes), [
        now ?? '',
        estimate,
        `${estimate}:${id}`,
        reservationTtlMs,
        ...limitsOf(scopes),
      ])) as number[];
      if (reply[0] === 1) {
        const expiresAt = (reply[1] ?? 0) + reservationTtlMs;
        return { ok: true, reservation: { scopes, micros: estimate, id, expiresAt } };
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
    reconcile(reservation, actualMicros, spendOptions = {}) {
      return settle({
        scopes: reservation.scopes,
        estimate: reservation.micros,
        actual: micros(actualMicros, 'actualMicros'),
        hold: holdMember(reservation),
        ...spendOptions,
      });
    },
    async release(reservation, now) {
      await settle({
        scopes: reservation.scopes,
        estimate: reservation.micros,
        actual: 0,
        hold: holdMember(reservation),
        ...(now === undefined ? {} : { now }),
      });
    },
    recordSpend(scopes, spend, now) {
      return settle({
        scopes,
        estimate: 0,
        actual: micros(spend.micros, 'micros'),
        hold: '',
        at: spend.at,
        usageEventId: spend.usageEventId,
        ...(now === undefined ? {} : { now }),
      });
    },
  };
}
