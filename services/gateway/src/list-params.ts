import { badRequest } from './gateway-error';

/** The `limit` query parameter of a list route: 1 to `max`, `fallback` when absent. */
export function limitParam(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badRequest('invalid_limit', `limit must be an integer from 1 to ${max}`, 'limit');
  }
  return limit;
}

/** A string query parameter, or undefined; a repeated one is a 400. */
export function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw badRequest('invalid_parameter', `${name} must be given once`, name);
  return value;
}

/** OpenAI's list envelope around one page. */
export function listPage<T extends { id: string }>(data: T[], hasMore: boolean) {
  return {
    object: 'list' as const,
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: hasMore,
  };
}
