const signals = ['SIGINT', 'SIGTERM'] as const;

/**
 * Signals this soon after the first are the same request: Ctrl-C under `npm start` reaches
 * `up` twice, from the terminal and forwarded by npm.
 */
const sameRequestMs = 2_000;

/** Ctrl-C / SIGTERM as `up` sees them: the first stops the stack in order, a second forces. */
export interface StopSignals {
  /** Resolves with the first SIGINT or SIGTERM. */
  readonly requested: Promise<NodeJS.Signals>;
  /** Stops listening (the signals' default actions apply again). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM for as long as `up` runs (so that no other handler, such as
 * the servers' exit cleanup, acts on the first one). The first resolves `requested`; one
 * more, 2 s or later after it, calls `force` (which should kill what is left and exit).
 */
export function watchStopSignals(force: (signal: NodeJS.Signals) => void): StopSignals {
  let firstAt: number | undefined;
  let resolveRequested: (signal: NodeJS.Signals) => void = () => undefined;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      resolveRequested(signal);
    } else if (Date.now() - firstAt >= sameRequestMs) {
      force(signal);
    }
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    requested,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
