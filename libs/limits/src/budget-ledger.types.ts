/** One budget a job's cost counts against: its tenant's, or its virtual key's. */
export interface BudgetScope {
  readonly tenant: string;
  /** The virtual key whose budget this is; absent for the tenant's own budget. */
  readonly keyId?: string;
  /** USD allowed per period. */
  readonly maxBudget: number;
  /** The period's length in ms; absent means the budget never resets. */
  readonly budgetDurationMs?: number;
}

/** Cost held on every scope of one job until the call is settled. */
export interface BudgetReservation {
  readonly scopes: readonly BudgetScope[];
  /** The estimate reserved on each scope, in micro-dollars. */
  readonly micros: number;
  /** The period each scope's reservation was made in, in `scopes` order. */
  readonly periods: readonly number[];
}

/** A scope's spend crossing 80 % or 100 % of its budget, reported once per period. */
export interface BudgetCrossing {
  readonly scope: BudgetScope;
  readonly threshold: 80 | 100;
  /** Spend in the period so far, in micro-dollars. */
  readonly spentMicros: number;
  readonly maxMicros: number;
  /** The period's start, epoch ms (0 for a budget that never resets). */
  readonly periodStart: number;
  /** The period's end, epoch ms; absent for a budget that never resets. */
  readonly periodEnd?: number;
}

/** Why a reservation was refused: the first scope without room, with its numbers. */
export interface BudgetRefusal {
  readonly scope: BudgetScope;
  readonly spentMicros: number;
  readonly reservedMicros: number;
  readonly maxMicros: number;
  readonly estimateMicros: number;
}

/** The answer of {@link BudgetLedger.reserve}. */
export type BudgetReserveResult =
  | { readonly ok: true; readonly reservation: BudgetReservation }
  | {
      readonly ok: false;
      readonly refusal: BudgetRefusal;
      /** A 100 % crossing when this refusal is the period's first. */
      readonly crossings: readonly BudgetCrossing[];
    };

/** Spend per scope, atomically reserved before a call and settled after it. */
export interface BudgetLedger {
  /**
   * Reserves `estimateMicros` on every scope at once, or on none: each must have
   * spent + reserved + estimate ≤ max (and not be already full). No scopes → always ok.
   */
  reserve(
    scopes: readonly BudgetScope[],
    estimateMicros: number,
    now?: number,
  ): Promise<BudgetReserveResult>;
  /**
   * Replaces the reservation with the call's real cost on every scope; resolves to the 80 % /
   * 100 % crossings this spend caused (each reported once per scope and period).
   */
  reconcile(
    reservation: BudgetReservation,
    actualMicros: number,
    now?: number,
  ): Promise<readonly BudgetCrossing[]>;
  /** Gives the reservation back: a call that never reached the provider or cost nothing. */
  release(reservation: BudgetReservation, now?: number): Promise<void>;
}

/** Options of {@link createBudgetLedger}. */
export interface BudgetLedgerOptions {
  /** Prefix of every key (`config.switchyard.redis.keyPrefix`). */
  readonly keyPrefix: string;
}
