import type { Deployment } from '@switchyard/config';
import type { Logger } from '@switchyard/telemetry';
import type { FlowTarget } from './deployment-board';

/** How often a standby pool looks at how many of the model's jobs wait. */
export const standbyCheckMs = 1_000;

const orderOf = (deployment: Deployment) => deployment.order ?? Number.POSITIVE_INFINITY;

/**
 * How many `order` tiers of the model come before this pool's best deployment: 0 for a pool
 * with a deployment of the model's lowest order (it serves at once), 1 for the next tier, and
 * so on. Deployments without an order come last, as in LiteLLM.
 */
export function standbyRank(mine: readonly Deployment[], all: readonly Deployment[]): number {
  const best = Math.min(...mine.map(orderOf));
  return new Set(all.map(orderOf).filter((order) => order < best)).size;
}

/** Options of {@link StandbyGate}. */
export interface StandbyGateOptions {
  /** From standbyRank: the gate opens after the jobs waited through rank + 1 checks in a row. */
  rank: number;
  /** How many of the model's jobs wait undelivered in its consumers now. */
  waiting: () => Promise<number>;
  logger: Logger;
  checkMs?: number;
}

/**
 * Keeps a pool whose deployments of a model all have a higher `order` than another pool's out
 * of the model's queue while the lower tiers keep up: it pulls only once the model's jobs have
 * been waiting through `rank + 1` checks in a row (every lower tier cooling down, over its
 * limits, saturated or gone), and stops pulling at the first check that finds none waiting.
 * Between the deployment board and the consumer: the board's own pauses (every deployment
 * blocked) pass through.
 */
export class StandbyGate implements FlowTarget {
  private timer: NodeJS.Timeout | undefined;
  private boardPaused = false;
  private boardTimer: NodeJS.Timeout | undefined;
  private serving = false;
  private checksWaiting = 0;
  private readonly checkMs: number;

  constructor(
    private readonly consumer: FlowTarget,
    private readonly options: StandbyGateOptions,
  ) {
    this.checkMs = options.checkMs ?? standbyCheckMs;
  }

  /** Whether the lower tiers left jobs waiting long enough for this pool to pull. */
  get open(): boolean {
    return this.serving;
  }

  start(): void {
    this.apply();
    const tick = async () => {
      await this.check();
      if (this.timer === undefined) return;
      this.timer = setTimeout(() => void tick(), this.checkMs);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void tick(), this.checkMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    clearTimeout(this.boardTimer);
    this.timer = undefined;
  }

  pause(forMs?: number): void {
    clearTimeout(this.boardTimer);
    this.boardPaused = true;
    if (forMs !== undefined) {
      this.boardTimer = setTimeout(() => this.resume(), Math.max(0, forMs));
      this.boardTimer.unref();
    }
    this.apply();
  }

  resume(): void {
    clearTimeout(this.boardTimer);
    this.boardPaused = false;
    this.apply();
  }

  setConcurrency(concurrency: number): void {
    this.consumer.setConcurrency(concurrency);
  }

  /** Reads how many jobs wait and opens or closes the gate (start() does this every checkMs). */
  async check(): Promise<void> {
    let waiting: number;
    try {
      waiting = await this.options.waiting();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'standby pool: reading the waiting jobs failed');
      return;
    }
    this.checksWaiting = waiting > 0 ? this.checksWaiting + 1 : 0;
    const serving = this.checksWaiting > this.options.rank;
    if (serving === this.serving) return;
    this.serving = serving;
    this.options.logger.info(
      { waiting, rank: this.options.rank },
      serving
        ? 'standby pool serving: the deployments of lower order leave jobs waiting'
        : 'standby pool idle: no job waits',
    );
    this.apply();
  }

  private apply(): void {
    if (this.boardPaused || !this.serving) this.consumer.pause();
    else this.consumer.resume();
  }
}
