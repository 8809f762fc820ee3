/** Small readers for request bodies of unknown shape: they never throw. */

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a plain object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` when it is a finite number, else undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `value` when it is an array, else undefined. */
export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/**
 * The first of `names` present on `object`: Google's JSON mapping accepts both the lowerCamel
 * and the proto (snake_case) spelling of every field.
 */
export function field(object: JsonObject, ...names: string[]): unknown {
  for (const name of names) {
    if (object[name] !== undefined) return object[name];
  }
  return undefined;
}

/** JSON.parse that reports failure instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
