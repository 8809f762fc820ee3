import type { ResponseHeaders } from './adapter';

const durationUnitsMs = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000_001,
} as const satisfies Record<string, number>;

const durationPart = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/y;

/**
 * Milliseconds in a Go-style duration as providers write them: `"1s"`, `"6m0s"`, `"20ms"`,
 * `"1h2m3.5s"`, Gemini's `"30s"` or `"0.5s"`. Undefined for anything else (including a bare
 * number, whose unit would be a guess).
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  durationPart.lastIndex = 0;
  let total = 0;
  while (durationPart.lastIndex < trimmed.length) {
    const match = durationPart.exec(trimmed);
    const amount = match?.[1];
    const unit = match?.[2] as keyof typeof durationUnitsMs | undefined;
    if (amount === undefined || unit === undefined) return undefined;
    total += Number(amount) * durationUnitsMs[unit];
  }
  return total;
}

/** A header value as a finite number, or undefined. */
function headerNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
}

/** Milliseconds from `now` until an absolute time written as an HTTP date or RFC 3339. */
function untilDate(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const at = Date.parse(value.trim());
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterHeader(value: string | undefined, now: number): number | undefined {
  const seconds = headerNumber(value);
  if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
  return untilDate(value, now);
}

interface RateLimitWindow {
  /** Milliseconds until the window resets, when the header was readable. */
  readonly resetMs: number | undefined;
  /** What is left in the window, when the provider said. */
  readonly remaining: number | undefined;
}

/**
 * The delay a set of rate-limit windows asks for: the latest reset among the exhausted windows
 * (remaining 0), or, when no window says what remains, the earliest reset (the reset headers
 * give when a window is full again, which is later than when the request would fit).
 */
function windowsDelay(windows: readonly RateLimitWindow[]): number | undefined {
  const known = windows.filter(
    (window): window is RateLimitWindow & { resetMs: number } => window.resetMs !== undefined,
  );
  if (known.length === 0) return undefined;
  const exhausted = known.filter(
    (window) => window.remaining !== undefined && window.remaining <= 0,
  );
  if (exhausted.length > 0) return Math.max(...exhausted.map((window) => window.resetMs));
  if (known.some((window) => window.remaining !== undefined)) return undefined;
  return Math.min(...known.map((window) => window.resetMs));
}

const anthropicWindows = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/**
 * How long to wait before retrying, in milliseconds, from a provider's response headers
 * (lower-case names); undefined when they say nothing usable. In order of precedence:
 * `retry-after-ms`; `Retry-After` as seconds or an HTTP date; OpenAI's
 * `x-ratelimit-reset-requests` / `-tokens` durations (`"6m0s"`); Anthropic's
 * `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset` RFC 3339 times.
 * For the reset headers, the windows whose `*-remaining` is 0 decide. Never negative.
 */
export function retryAfterMs(
  headers: ResponseHeaders,
  now: number = Date.now(),
): number | undefined {
  const millis = headerNumber(headers['retry-after-ms']);
  if (millis !== undefined && millis >= 0) return millis;

  const retryAfter = retryAfterHeader(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;

  const openAi = windowsDelay(
    (['requests', 'tokens'] as const).map((kind) => {
      const reset = headers[`x-ratelimit-reset-${kind}`];
      return {
        resetMs: reset === undefined ? undefined : parseDurationMs(reset),
        remaining: headerNumber(headers[`x-ratelimit-remaining-${kind}`]),
      };
    }),
  );
  if (openAi !== undefined) return openAi;

  return windowsDelay(
    anthropicWindows.map((kind) => ({
      resetMs: untilDate(headers[`anthropic-ratelimit-${kind}-reset`], now),
      remaining: headerNumber(headers[`anthropic-ratelimit-${kind}-remaining`]),
    })),
  );
}
