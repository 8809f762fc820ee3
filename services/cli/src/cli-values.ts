import { UserError } from '@switchyard/entrypoint';

/** A whole number option (`--rpm 60`) within `[min, max]`; a UserError naming the option otherwise. */
export function integerOption(
  value: string,
  option: string,
  { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(number >= min && number <= max)) {
    throw new UserError(`${option} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** A positive decimal option (`--max-budget 12.50`). */
export function positiveNumberOption(value: string, option: string): number {
  const number = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(number > 0 && Number.isFinite(number))) {
    throw new UserError(`${option} must be a number above 0, got "${value}"`);
  }
  return number;
}

const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration option (`30d`, `12h`, `15m`, `90s`, `500ms`, `1w`) in milliseconds. */
export function durationOption(value: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(value.trim());
  const ms = match ? Number(match[1]) * durationUnits[match[2] as keyof typeof durationUnits] : NaN;
  if (!(ms >= 1 && Number.isSafeInteger(Math.round(ms)))) {
    throw new UserError(
      `${option} must be a duration such as 30d, 12h, 15m, 90s or 500ms, got "${value}"`,
    );
  }
  return Math.round(ms);
}

/** A comma-separated list option (`--models a,b`), trimmed, empty entries dropped. */
export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** A duration in ms as the largest whole unit that fits (`2592000000` → `30d`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(durationUnits).reverse()) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
