import { z } from 'zod';
import type { VirtualKey } from './virtual-key.types';

/** A key's record as the bucket holds it (`key.<id>`): the whole key, revokedAt included. */
const storedKeySchema = z.object({
  id: z.string(),
  alias: z.string().optional(),
  tenant: z.string(),
  models: z.array(z.string()),
  rpm: z.number().optional(),
  maxBudget: z.number().optional(),
  budgetDurationMs: z.number().optional(),
  createdAt: z.number(),
  revokedAt: z.number().optional(),
  hint: z.string(),
});

/** The JSON stored for a key. */
export function encodeStoredKey(key: VirtualKey): string {
  return JSON.stringify(key);
}

/**
 * The key a stored JSON record describes, or undefined for a record that is not valid JSON of
 * the stored shape (treated as no key at all, never as a live one).
 */
export function decodeStoredKey(json: string | null | undefined): VirtualKey | undefined {
  if (typeof json !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = storedKeySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
