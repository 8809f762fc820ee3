import { VirtualKeyStore } from '@switchyard/keys';
import type { Redis } from 'ioredis';
import type { KeyBudgetLookup } from './budget-gate';

/**
 * A virtual key's budget from its record in Redis (`@switchyard/keys`), one round trip per
 * job that names a key. A revoked key's budget still counts the jobs it submitted earlier.
 */
export function keyBudgetsFrom(redis: Redis, keyPrefix: string): KeyBudgetLookup {
  const store = new VirtualKeyStore(redis, keyPrefix);
  return async (keyId) => {
    const key = await store.get(keyId);
    if (key === undefined) return undefined;
    return {
      ...(key.maxBudget === undefined ? {} : { maxBudget: key.maxBudget }),
      ...(key.budgetDurationMs === undefined ? {} : { budgetDurationMs: key.budgetDurationMs }),
    };
  };
}
