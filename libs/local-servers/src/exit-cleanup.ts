import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
const fatalSignals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let hooked = false;

/**
 * Makes sure `child` does not outlive this process. It is sent SIGKILL when this process
 * exits (the `exit` event), and when SIGTERM, SIGINT or SIGHUP arrives while nothing else
 * listens for that signal (as when a test runner ends its worker); the signal is then raised
 * again so the process still ends as it would have. A program with its own handler for the
 * signal decides when to exit and is expected to `stop()` its servers; the `exit` hook
 * still catches any left running. Only SIGKILL of this process leaves children behind.
 */
export function killOnExit(child: ChildProcess): void {
  running.add(child);
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of fatalSignals) process.on(signal, onFatalSignal);
}

/** Forgets a child that has exited. */
export function forgetChild(child: ChildProcess): void {
  running.delete(child);
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  for (const one of fatalSignals) process.off(one, onFatalSignal);
  process.kill(process.pid, signal);
}
