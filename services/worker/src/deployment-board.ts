import type { Deployment } from '@switchyard/config';

/** How much one answered call moves a deployment's latency average. */
const latencyWeight = 0.3;

/** A deployment's figures as this process has seen them (see DeploymentBoard.routingFigures). */
export interface RoutingFigures {
  inFlight: number;
  msPerToken: number | undefined;
  requestsThisMinute: number;
  tokensThisMinute: number;
}

/** The part of a JobConsumer the board steers. */
export interface FlowTarget {
  pause(forMs?: number): void;
  resume(): void;
  setConcurrency(concurrency: number): void;
}

interface DeploymentState {
  readonly deployment: Deployment;
  inFlight: number;
  /** Moving average of ms per completion token of its answered calls; undefined before one. */
  msPerToken: number | undefined;
  /** Calls and tokens answered in the current minute (`minute`: epoch minute). */
  usage: { minute: number; requests: number; tokens: number };
  /** Epoch ms until which the deployment is cooling down or out of rate-limit room. */
  blockedUntil: number;
}

/**
 * What this process knows about one model's deployments on its provider: jobs in flight on
 * each (at most `concurrencyPerDeployment`) and which are blocked (cooling down or
 * rate-limited) until when. It steers the model's consumer so that jobs wait in the stream
 * rather than in this process: the consumer's concurrency is the free-or-busy slots of the
 * deployments that are not blocked, and when every deployment is blocked the consumer is
 * paused until the first one is free again.
 */
export class DeploymentBoard {
  private readonly states: DeploymentState[];
  private target: FlowTarget | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private pausedByBoard = false;

  constructor(
    deployments: readonly Deployment[],
    private readonly concurrencyPerDeployment: number,
    private readonly now: () => number = Date.now,
  ) {
    this.states = deployments.map((deployment) => ({
      deployment,
      inFlight: 0,
      blockedUntil: 0,
      msPerToken: undefined,
      usage: { minute: 0, requests: 0, tokens: 0 },
    }));
  }

  /** Every deployment on the board, busy or blocked or not, in config order. */
  get deployments(): Deployment[] {
    return this.states.map((s) => s.deployment);
  }

  /** The slots of every deployment: the consumer's concurrency while none is blocked. */
  get totalSlots(): number {
    return this.states.length * this.concurrencyPerDeployment;
  }

  /** Starts steering `target` (the model's consumer). */
  attach(target: FlowTarget): void {
    this.target = target;
    this.steer();
  }

  /** Stops steering and clears the timer. */
  detach(): void {
    clearTimeout(this.recheck);
    this.recheck = undefined;
    this.target = undefined;
  }

  /** Deployments that are not blocked and have a free slot, in config order. */
  usable(): Deployment[] {
    const now = this.now();
    return this.states
      .filter((s) => s.blockedUntil <= now && s.inFlight < this.concurrencyPerDeployment)
      .map((s) => s.deployment);
  }

  /** Each deployment's id, calls in flight, and whether it is blocked now. */
  snapshot(): { deployment: string; inFlight: number; blocked: boolean }[] {
    const now = this.now();
    return this.states.map((s) => ({
      deployment: s.deployment.id,
      inFlight: s.inFlight,
      blocked: s.blockedUntil > now,
    }));
  }

  /** Milliseconds until the first blocked deployment is free again; 0 when one is free now. */
  waitMs(): number {
    const now = this.now();
    const free = this.states.filter((s) => s.blockedUntil <= now);
    if (free.length > 0) return 0;
    return Math.max(0, Math.min(...this.states.map((s) => s.blockedUntil)) - now);
  }

  /** Marks a deployment cooling down or out of rate-limit room until `untilMs` (epoch ms). */
  block(deploymentId: string, untilMs: number): void {
    const state = this.find(deploymentId);
    if (state === undefined || untilMs <= state.blockedUntil) return;
    state.blockedUntil = untilMs;
    this.steer();
  }

  /**
   * Takes a slot on a deployment for one call; false when it has none free (another job took
   * the last one since `usable()` was read).
   */
  tryAcquire(deploymentId: string): boolean {
    const state = this.find(deploymentId);
    if (state === undefined || state.inFlight >= this.concurrencyPerDeployment) return false;
    state.inFlight += 1;
    return true;
  }

  /** Records an answered call (for the latency- and usage-based routing strategies). */
  recordAnswer(
    deploymentId: string,
    latencyMs: number,
    completionTokens: number,
    totalTokens: number,
  ): void {
    const state = this.find(deploymentId);
    if (state === undefined) return;
    const msPerToken = latencyMs / Math.max(1, completionTokens);
    state.msPerToken =
      state.msPerToken === undefined
        ? msPerToken
        : state.msPerToken + latencyWeight * (msPerToken - state.msPerToken);
    const minute = Math.floor(this.now() / 60_000);
    if (state.usage.minute !== minute) state.usage = { minute, requests: 0, tokens: 0 };
    state.usage.requests += 1;
    state.usage.tokens += totalTokens;
  }

  /** What the routing strategies rank a deployment by, as this process has seen it. */
  routingFigures(deploymentId: string): RoutingFigures {
    const state = this.find(deploymentId);
    const minute = Math.floor(this.now() / 60_000);
    const usage = state !== undefined && state.usage.minute === minute ? state.usage : undefined;
    return {
      inFlight: state?.inFlight ?? 0,
      msPerToken: state?.msPerToken,
      requestsThisMinute: usage?.requests ?? 0,
      tokensThisMinute: usage?.tokens ?? 0,
    };
  }

  /** Gives the slot back after the call. */
  release(deploymentId: string): void {
    const state = this.find(deploymentId);
    if (state && state.inFlight > 0) state.inFlight -= 1;
  }

  private find(id: string): DeploymentState | undefined {
    return this.states.find((s) => s.deployment.id === id);
  }

  /** Sets the consumer's concurrency and pauses or resumes it; re-runs when a block ends. */
  private steer(): void {
    const target = this.target;
    if (target === undefined) return;
    clearTimeout(this.recheck);
    this.recheck = undefined;
    const now = this.now();
    const open = this.states.filter((s) => s.blockedUntil <= now);
    const blocked = this.states.filter((s) => s.blockedUntil > now);
    if (blocked.length > 0) {
      const nextEnd = Math.min(...blocked.map((s) => s.blockedUntil));
      this.recheck = setTimeout(() => this.steer(), Math.max(1, nextEnd - now));
      this.recheck.unref();
    }
    if (open.length === 0) {
      target.pause(Math.max(1, Math.min(...blocked.map((s) => s.blockedUntil)) - now));
      this.pausedByBoard = true;
      return;
    }
    target.setConcurrency(open.length * this.concurrencyPerDeployment);
    if (this.pausedByBoard) {
      this.pausedByBoard = false;
      target.resume();
    }
  }
}
