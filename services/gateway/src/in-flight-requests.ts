import type { ServerResponse } from 'node:http';

/** A request being answered: its signal aborts when the client goes away or the gateway stops. */
export interface InFlightRequest {
  readonly signal: AbortSignal;
  /** Whether the client closed the connection before the answer was complete. */
  readonly clientGone: boolean;
  /** Call once the answer is complete. */
  done(): void;
}

/**
 * The requests being answered, so that a client that disconnects aborts its job (the client
 * library then publishes the job's cancellation) and a stopping gateway can abort what is left.
 * At most `limit` at once: past it, `begin` refuses, so a flood of requests cannot make the
 * gateway hold unbounded memory and sockets.
 */
export class InFlightRequests {
  private readonly active = new Set<AbortController>();
  private readonly idle: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Whether another request may begin now. */
  get full(): boolean {
    return this.active.size >= this.limit;
  }

  get size(): number {
    return this.active.size;
  }

  /**
   * Tracks a request: over HTTP, the one answered on `res`, which closing before it finished
   * aborts; a NATS request has no connection to watch (`res` undefined).
   */
  begin(res?: ServerResponse): InFlightRequest {
    const controller = new AbortController();
    this.active.add(controller);
    let clientGone = false;
    const onClose = (): void => {
      if (res === undefined || res.writableFinished) return;
      clientGone = true;
      controller.abort(new Error('the client closed the connection'));
    };
    res?.once('close', onClose);
    return {
      signal: controller.signal,
      get clientGone() {
        return clientGone;
      },
      done: () => {
        res?.removeListener('close', onClose);
        this.active.delete(controller);
        if (this.active.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
      },
    };
  }

  /** Resolves once nothing is in flight, or after `graceMs`; then aborts what is left. */
  async drain(graceMs: number): Promise<void> {
    if (this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    for (const controller of this.active) controller.abort(new Error('the gateway is stopping'));
  }
}
