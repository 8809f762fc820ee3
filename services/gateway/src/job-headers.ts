import { createHash } from 'node:crypto';
import { tagsSchema, type CacheControl } from '@switchyard/contracts';
import { badRequest } from './gateway-error';

/** Request headers as Node gives them. */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** The job controls a request asked for in its headers. */
export interface JobHeaderOptions {
  /** `x-switchyard-tags: a, b` → labels for spend reports. */
  tags?: string[];
  /** `x-switchyard-deadline-ms: 5000` → give up this many ms after the request arrived. */
  deadlineMs?: number;
  /** `Cache-Control: no-cache, no-store` and `x-switchyard-cache-ttl: <seconds>`. */
  cache?: CacheControl;
  /** `Idempotency-Key: <key>` → the job's id (jobIdOfIdempotencyKey). */
  jobId?: string;
}

/** The Switchyard headers the gateway reads (lower case, as Node gives them). */
export const SwitchyardHttpHeaders = {
  tags: 'x-switchyard-tags',
  deadlineMs: 'x-switchyard-deadline-ms',
  cacheTtl: 'x-switchyard-cache-ttl',
  cacheControl: 'cache-control',
  idempotencyKey: 'idempotency-key',
} as const;

/**
 * The job id of an `Idempotency-Key` (1 to 255 printable ASCII characters, as Stripe and
 * OpenAI's SDKs send them): `idem-` and the key's SHA-256, so any key makes a valid job id.
 * Job ids are scoped to the tenant: two tenants' equal keys are two jobs.
 */
export function jobIdOfIdempotencyKey(key: string): string {
  return `idem-${createHash('sha256').update(key).digest('hex')}`;
}

function readIdempotencyKey(headers: HeaderBag): string | undefined {
  const name = SwitchyardHttpHeaders.idempotencyKey;
  const raw = headerValue(headers, name);
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(raw)) {
    throw badRequest('invalid_header', `${name} must be 1 to 255 printable ASCII characters`, name);
  }
  return jobIdOfIdempotencyKey(raw);
}

/** The longest relative deadline accepted: one day. */
const maxDeadlineMs = 86_400_000;

/** A header's value; a repeated header is read as its values joined with `,`. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function positiveInt(headers: HeaderBag, name: string, max: number): number | undefined {
  const raw = headerValue(headers, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw badRequest(
      'invalid_header',
      `${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`,
      name,
    );
  }
  return value;
}

/** Reads a comma-separated tag list (`a, b`); an empty list is none. */
export function readTags(raw: string | undefined, param: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const tags = raw
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
  return tags.length === 0 ? undefined : checkTags(tags, param);
}

/** Checks tags against the contract (at most 32, 1 to 64 printable characters each). */
export function checkTags(tags: unknown, param: string): string[] {
  const checked = tagsSchema.safeParse(tags);
  if (!checked.success) {
    const reason = checked.error.issues.map((issue) => issue.message).join('; ');
    throw badRequest('invalid_tags', `${param}: ${reason}`, param);
  }
  return checked.data;
}

function readCache(headers: HeaderBag): CacheControl | undefined {
  const directives = (headerValue(headers, SwitchyardHttpHeaders.cacheControl) ?? '')
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  const ttl = positiveInt(headers, SwitchyardHttpHeaders.cacheTtl, 31_536_000);
  const cache: CacheControl = {
    ...(directives.includes('no-cache') ? { no_cache: true } : {}),
    ...(directives.includes('no-store') ? { no_store: true } : {}),
    ...(ttl === undefined ? {} : { ttl }),
  };
  return Object.keys(cache).length === 0 ? undefined : cache;
}

/**
 * The job controls of a request's headers. Throws a 400 GatewayError naming the header for a
 * value it cannot use (a deadline that is not a positive whole number, a tag too long).
 */
export function readJobHeaders(headers: HeaderBag): JobHeaderOptions {
  const tags = readTags(
    headerValue(headers, SwitchyardHttpHeaders.tags),
    SwitchyardHttpHeaders.tags,
  );
  const deadlineMs = positiveInt(headers, SwitchyardHttpHeaders.deadlineMs, maxDeadlineMs);
  const cache = readCache(headers);
  const jobId = readIdempotencyKey(headers);
  return {
    ...(jobId === undefined ? {} : { jobId }),
    ...(tags === undefined ? {} : { tags }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    ...(cache === undefined ? {} : { cache }),
  };
}
