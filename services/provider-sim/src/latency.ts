import type { LatencyConfig } from './scenario';

/** A seeded random source in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The latency model: the first content (or a non-streaming body) waits `ttftMs`; each later
 * stream event waits `perTokenMs` per token it carries (a non-streaming body waits for all its
 * tokens after the first too); every wait gets a uniform extra in [0, jitterMs).
 */
export interface LatencyModel {
  /** The wait before the first content event. */
  firstDelay(): number;
  /** The wait before a later event carrying `tokens` tokens. */
  tokenDelay(tokens: number): number;
  /** The wait before a non-streaming body of `tokens` completion tokens. */
  totalDelay(tokens: number): number;
}

/** A latency model for `config`, drawing jitter from `random`. */
export function latencyModel(config: Required<LatencyConfig>, random: () => number): LatencyModel {
  const jitter = (): number => (config.jitterMs > 0 ? random() * config.jitterMs : 0);
  return {
    firstDelay: () => config.ttftMs + jitter(),
    tokenDelay: (tokens) => (tokens > 0 ? config.perTokenMs * tokens + jitter() : 0),
    totalDelay: (tokens) => config.ttftMs + config.perTokenMs * Math.max(tokens - 1, 0) + jitter(),
  };
}
