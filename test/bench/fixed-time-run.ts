/**
 * Drives one kind of call at a fixed concurrency for a fixed time and collects its latencies:
 * the measurement loop of the queue-hop benchmark.
 */

/**
 * What one call reports: its total time, and for a stream the time to its first chunk with
 * text (the time to first token; see carriesText).
 */
export interface CallSample {
  totalMs: number;
  firstChunkMs?: number;
  /** Switchyard's own timings of the answer, when it came through Switchyard. */
  timings?: { queueMs: number; providerMs: number; totalMs: number };
}

/** Whether a stream chunk carries text: the first that does marks the time to first token. */
export function carriesText(chunk: {
  choices: readonly { delta: { content?: string | null } }[];
}): boolean {
  return chunk.choices.some((choice) => (choice.delta.content ?? '') !== '');
}

/** The outcome of one run: counted calls only (those started after the warm-up). */
export interface RunResult {
  calls: number;
  perSecond: number;
  totalMs: number[];
  firstChunkMs: number[];
  samples: CallSample[];
}

/**
 * Runs `call` from `concurrency` loops for `warmMs` (not counted) and then `seconds`. The
 * first failing call stops every loop and rejects the run with its error.
 */
export async function runFixedTime(options: {
  concurrency: number;
  seconds: number;
  warmMs: number;
  call: () => Promise<CallSample>;
}): Promise<RunResult> {
  const samples: CallSample[] = [];
  const countFrom = performance.now() + options.warmMs;
  const endAt = countFrom + options.seconds * 1000;
  let failure: { error: unknown } | undefined;
  const loop = async (): Promise<void> => {
    while (failure === undefined) {
      const startedAt = performance.now();
      if (startedAt >= endAt) return;
      try {
        const sample = await options.call();
        if (startedAt >= countFrom) samples.push(sample);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  if (failure !== undefined) throw failure.error;
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  return {
    calls: samples.length,
    perSecond: samples.length / options.seconds,
    totalMs: sorted(samples.map((sample) => sample.totalMs)),
    firstChunkMs: sorted(samples.flatMap((sample) => sample.firstChunkMs ?? [])),
    samples,
  };
}

/** The p-th percentile (nearest rank) of ascending values; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** The median of unsorted values. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** How long warmPath runs a path whose rows run `rowSeconds` each: as long, at most 5 s. */
export function pathWarmSeconds(rowSeconds: number): number {
  return Math.min(rowSeconds, 5);
}

/**
 * Runs `call` at concurrency 64 for pathWarmSeconds, uncounted, before a path's first row. V8
 * optimises a function only after many calls: a worker that has served a few hundred jobs still
 * runs much of the job path unoptimised, and the concurrency-1 row that came first measured that
 * cold worker (≈ 2.5–3 ms of worker CPU per job over 5 s, ≈ 0.9–1.3 ms over 30 s), not one that
 * has served traffic for a minute.
 */
export async function warmPath(call: () => Promise<CallSample>, rowSeconds: number): Promise<void> {
  await runFixedTime({ concurrency: 64, seconds: pathWarmSeconds(rowSeconds), warmMs: 0, call });
}
