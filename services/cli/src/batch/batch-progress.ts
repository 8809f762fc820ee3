import type { Writable } from 'node:stream';

/** Counts of a run, as the progress line shows them. */
export interface ProgressCounts {
  total: number;
  /** Answered before this run started (already in the results file). */
  alreadyDone: number;
  /** Answered in this run with a result. */
  succeeded: number;
  /** Answered in this run with an error. */
  failed: number;
}

/** The progress line: done / failed, rate per second over this run, and the time left. */
export function progressLine(counts: ProgressCounts, elapsedMs: number): string {
  const answered = counts.succeeded + counts.failed;
  const done = counts.alreadyDone + answered;
  const rate = elapsedMs > 0 ? (answered * 1000) / elapsedMs : 0;
  const left = counts.total - done;
  const eta = rate > 0 ? formatSeconds(left / rate) : '?';
  return `${done}/${counts.total} done, ${counts.failed} failed, ${rate.toFixed(1)}/s, ETA ${left === 0 ? '0s' : eta}`;
}

/** A duration in seconds, rounded up, as `42s`, `3m05s` or `2h07m`. */
export function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Draws the progress line on `err`: redrawn in place (`\r`) at most every 200 ms on a
 * terminal, one line every `everyMs` otherwise (logs, CI).
 */
export class ProgressReporter {
  private readonly started = Date.now();
  private last = 0;

  constructor(
    private readonly err: Writable & { isTTY?: boolean },
    private readonly counts: () => ProgressCounts,
    private readonly everyMs = 5_000,
  ) {}

  /** Draws if it is time to. */
  tick(): void {
    const now = Date.now();
    const interval = this.err.isTTY === true ? 200 : this.everyMs;
    if (now - this.last < interval) return;
    this.last = now;
    this.draw();
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.draw();
    if (this.err.isTTY === true) this.err.write('\n');
  }

  private draw(): void {
    const line = progressLine(this.counts(), Date.now() - this.started);
    if (this.err.isTTY === true) this.err.write(`\r${line}\u001b[K`);
    else this.err.write(`${line}\n`);
  }
}
