import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A request's fingerprint: 64 hex digits of SHA-256. */
export const requestHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (SHA-256)');

/**
 * The fingerprint of what a job asks: SHA-256 of the JSON of its logical model and request, as
 * the producer serialized them. A job id reused as an idempotency key is only answered with
 * the first job's answer when the fingerprints match: a retry sends the same body, byte for
 * byte (the same keys in the same order), so the same fingerprint.
 */
export function requestHash(model: string, request: unknown): string {
  return createHash('sha256').update(JSON.stringify({ model, request })).digest('hex');
}
