/**
 * Why a job's provider call stops early, as the one AbortSignal the call gets: the consumer
 * handing the job back (its delivery's signal), the job's caller cancelling it (see
 * Cancellations.track), or the job's deadline passing. One controller and at most one timer per
 * call, where AbortSignal.any and AbortSignal.timeout would allocate a signal each plus weak
 * references and sets on every source: a worker with thousands of calls in flight holds them all.
 */
export class CallAbort {
  private readonly controller = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout | undefined;
  private cancelledByCaller = false;
  private readonly onHandBack = (): void => this.controller.abort(this.handBack.reason);

  constructor(
    private readonly handBack: AbortSignal,
    deadline: number | undefined,
  ) {
    if (handBack.aborted) this.onHandBack();
    else handBack.addEventListener('abort', this.onHandBack, { once: true });
    if (deadline !== undefined) {
      this.deadlineTimer = setTimeout(
        () => this.controller.abort(new DOMException("the job's deadline passed", 'TimeoutError')),
        Math.max(1, deadline - Date.now()),
      );
      this.deadlineTimer.unref();
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the job's caller cancelled it while it was served (whatever aborted the call first). */
  get cancelled(): boolean {
    return this.cancelledByCaller;
  }

  /** The job's caller cancelled it: aborts the call with `reason`. */
  cancel(reason: Error): void {
    this.cancelledByCaller = true;
    this.controller.abort(reason);
  }

  /** The call is over: stops the deadline timer and listening to the delivery. */
  dispose(): void {
    clearTimeout(this.deadlineTimer);
    this.handBack.removeEventListener('abort', this.onHandBack);
  }
}
