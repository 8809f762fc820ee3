/** Seconds as written in LiteLLM configs (may be fractional) to whole milliseconds. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

const unitSeconds = {
  s: 1,
  m: 60,
  h: 3_600,
  d: 86_400,
  w: 604_800,
  mo: 30 * 86_400,
} as const;

const budgetDuration = /^(\d+)(mo|[smhdw])?$/;

/**
 * Parses LiteLLM's `budget_duration`: an integer with an optional unit — s, m, h, d, w or mo
 * (`30s`, `10m`, `1h`, `1d`, `2w`, `1mo`); no unit means seconds. A month counts as 30 days.
 * Returns milliseconds, or undefined when the string is not a duration.
 */
export function parseBudgetDuration(text: string): number | undefined {
  const match = budgetDuration.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = (match[2] ?? 's') as keyof typeof unitSeconds;
  const ms = Number(match[1]) * unitSeconds[unit] * 1000;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
