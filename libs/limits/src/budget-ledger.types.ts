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

/**
 * Cost held on every scope of one job until the call is settled, or until it expires: a
 * reservation nobody settles (its worker died) stops counting `expiresAt`.
 */
export interface BudgetReservation {
  readonly scopes: readonly BudgetScope[];
  /** The estimate reserved on each scope, in micro-dollars. */
  readonly micros: number;
  /** Names the reservation on every scope ('' when there are no scopes). */
  readonly id: string;
  /** When the reservation stops counting unless settled, epoch ms (the Redis clock). */
  readonly expiresAt: number;
}

/** How a call's cost is counted. */
export interface SpendOptions {
  /**
   * The usage event of the call (contracts' `usageEventId`). The cost of one usage event is
   * added once: metering's rebuild after a Redis loss replays the same events and skips the
   * ones counted here. Without it the cost is added unconditionally.
   */
  readonly usageEventId?: string;
  /** Replaces the Redis server's clock (tests). */
  readonly now?: number;
}

/** A usage event's cost, counted on its scopes by metering's rebuild. */
export interface RecordedSpend {
  readonly usageEventId: string;
  readonly micros: number;
  /** When the call ended (the event's `at`): counted only where that is the current period. */
  readonly at: number;
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
   * Replaces the reservation with the call's real cost on every scope (a reservation that
   * already expired is not taken back twice); resolves to the 80 % / 100 % crossings this
   * spend caused (each reported once per scope and period).
   */
  reconcile(
    reservation: BudgetReservation,
    actualMicros: number,
    options?: SpendOptions,
  ): Promise<readonly BudgetCrossing[]>;
  /** Gives the reservation back: a call that never reached the provider or cost nothing. */
  release(reservation: BudgetReservation, now?: number): Promise<void>;
  /**
   * Adds a usage event's cost to its scopes' spend, when its `at` lies in their current period
   * and the event was not counted before (by the worker's `reconcile` or an earlier replay):
   * how metering rebuilds the spend of the current periods after Redis lost it. Resolves to
   * the crossings (metering does not publish them: the worker did when the spend happened).
   */
  recordSpend(
    scopes: readonly BudgetScope[],
    spend: RecordedSpend,
    now?: number,
  ): Promise<readonly BudgetCrossing[]>;
}

/** Options of {@link createBudgetLedger}. */
export interface BudgetLedgerOptions {
  /** Prefix of every key (`config.switchyard.redis.keyPrefix`). */
  readonly keyPrefix: string;
  /**
   * How long a reservation counts unless it is settled: a generous bound over the longest
   * call (the worker passes its longest provider timeout plus a margin), so a worker that
   * dies mid-call does not hold a budget for good.
   * @defaultValue 900_000 (15 minutes, over the default 600 s provider timeout)
   */
  readonly reservationTtlMs?: number;
  /**
   * The longest a counted usage event's marker is kept (it is kept to the end of its period
   * when that comes first): how far back metering can replay usage events, the usage
   * stream's max age plus a day.
   * @defaultValue 8 days
   */
  readonly countedTtlMs?: number;
}
