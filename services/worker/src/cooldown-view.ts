import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  CONTRACT_VERSION,
  decodeCooldownEvent,
  type CooldownEvent,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import type { CooldownTracker } from '@switchyard/limits';
import type { Logger } from '@switchyard/telemetry';

/**
 * The shared cooldown state (a CooldownTracker in Redis) as one worker process sees it, so that
 * serving a job asks Redis nothing: whether a deployment cools down is read from memory, and a
 * success resets the shared failure count (one Redis call) only when some failure was counted.
 * Workers keep each other's view current with cooldown events (`<root>.events.cooldown.<d>`,
 * core NATS): every counted failure and every cooldown is announced, and every reset. An event
 * lost on the way costs little: a worker that missed a cooldown calls the deployment, and its
 * failure is counted and announced again. A view applies its own events when it sends them and
 * skips them when NATS echoes them back (`from`): events of two workers have no order between
 * them, so a late echo of a failure could otherwise undo another worker's later reset.
 */
export class CooldownView implements CooldownTracker {
  /** Names this view's events (`from`), so that it knows its own echoes. */
  private readonly id = randomUUID();
  private readonly until = new Map<string, number>();
  /** Deployments with failures counted in Redis that a success should reset. */
  private readonly failing = new Set<string>();
  private subscription: Subscription | undefined;

  private constructor(
    private readonly shared: CooldownTracker,
    private readonly nc: NatsConnection,
    private readonly subjects: SwitchyardSubjects,
    private readonly log: Logger,
  ) {}

  /**
   * Reads the cooldowns running now for `deploymentIds` (one Redis call each, once; a Redis
   * that does not answer is logged and no cooldown assumed) and follows the cooldown events. Deployments start as `failing` (failures may be counted in
   * Redis from before this process), so their first success resets the count.
   */
  static async start(
    shared: CooldownTracker,
    options: {
      nc: NatsConnection;
      subjects: SwitchyardSubjects;
      deploymentIds: readonly string[];
      logger: Logger;
    },
  ): Promise<CooldownView> {
    const view = new CooldownView(shared, options.nc, options.subjects, options.logger);
    view.subscription = options.nc.subscribe(options.subjects.cooldownEventsAll, {
      callback: (error, msg) => {
        if (error !== null) return;
        const event = decodeCooldownEvent(msg.data);
        if (event !== null && event.from !== view.id) view.apply(event);
      },
    });
    // The server has the subscription before the cooldowns are read: an event announced after a
    // read is received, one announced before it is in what the read returns.
    await options.nc.flush();
    for (const id of options.deploymentIds) {
      view.failing.add(id);
      const until = await shared.coolingDownUntil(id).catch((error: unknown) => {
        options.logger.warn(
          { err: error, deployment: id },
          'reading a cooldown failed; none assumed',
        );
        return undefined;
      });
      if (until !== undefined) view.until.set(id, until);
    }
    return view;
  }

  /** From memory: no I/O. */
  coolingDownUntil(deploymentId: string): Promise<number | undefined> {
    const until = this.until.get(deploymentId);
    if (until !== undefined && until <= Date.now()) this.until.delete(deploymentId);
    return Promise.resolve(this.until.get(deploymentId));
  }

  /** Whether failures are counted for the deployment, so that a success would reset them. */
  hasFailures(deploymentId: string): boolean {
    return this.failing.has(deploymentId);
  }

  async recordFailure(
    deploymentId: string,
    errorType: Parameters<CooldownTracker['recordFailure']>[1],
  ): Promise<{ coolingDownUntil?: number }> {
    const outcome = await this.shared.recordFailure(deploymentId, errorType);
    this.announce({
      v: CONTRACT_VERSION,
      deployment: deploymentId,
      kind: 'failed',
      ...(outcome.coolingDownUntil === undefined
        ? {}
        : { cooling_down_until: outcome.coolingDownUntil }),
    });
    return outcome;
  }

  async recordSuccess(deploymentId: string): Promise<void> {
    if (!this.failing.has(deploymentId)) return;
    this.failing.delete(deploymentId);
    await this.shared.recordSuccess(deploymentId);
    this.announce({ v: CONTRACT_VERSION, deployment: deploymentId, kind: 'reset' });
  }

  /** Stops following the events. */
  close(): void {
    this.subscription?.unsubscribe();
  }

  private apply(event: CooldownEvent): void {
    if (event.kind === 'reset') {
      this.failing.delete(event.deployment);
      return;
    }
    this.failing.add(event.deployment);
    const until = event.cooling_down_until;
    if (until !== undefined && until > (this.until.get(event.deployment) ?? 0)) {
      this.until.set(event.deployment, until);
    }
  }

  /** Applies the event here at once (no round trip through NATS) and tells the others. */
  private announce(event: Omit<CooldownEvent, 'from'>): void {
    this.apply(event);
    try {
      const sent: CooldownEvent = { ...event, from: this.id };
      this.nc.publish(this.subjects.cooldownEvents(event.deployment), JSON.stringify(sent));
    } catch (error) {
      this.log.warn({ err: error }, 'announcing a cooldown event failed');
    }
  }
}
