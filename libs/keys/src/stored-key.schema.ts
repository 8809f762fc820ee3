import { z } from 'zod';
import type { VirtualKey } from './virtual-key.types';

/** A record as the store writes it: the key without revokedAt (kept in its own hash). */
const storedKeySchema = z.object({
  id: z.string(),
  alias: z.string().optional(),
  tenant: z.string(),
  models: z.array(z.string()),
  rpm: z.number().optional(),
  maxBudget: z.number().optional(),
  budgetDurationMs: z.number().optional(),
  createdAt: z.number(),
  hint: z.string(),
});

/** The JSON stored for a key. */
export function encodeStoredKey(key: VirtualKey): string {
  return JSON.stringify({ ...key, revokedAt: undefined });
}

/**
 * The key a stored JSON record and revokedAt describe, or undefined for a record that is not
 * valid JSON of the stored shape (treated as no key at all, never as a live one).
 */
export function decodeStoredKey(
  json: string | null | undefined,
  revokedAt?: string | null,
): VirtualKey | undefined {
  if (typeof json !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = storedKeySchema.safeParse(value);
  if (!parsed.success) return undefined;
  const revoked = revokedAt === undefined || revokedAt === null ? undefined : Number(revokedAt);
  return revoked === undefined || !Number.isFinite(revoked)
    ? parsed.data
    : { ...parsed.data, revokedAt: revoked };
}
