import type { VirtualKeyStore } from '@switchyard/keys';
import type { KeyBudgetLookup } from './budget-gate';

/**
 * A virtual key's budget from its record (`@switchyard/keys`), read from the store's
 * in-memory view of the keys bucket: no I/O per job. A revoked key's budget still counts the
 * jobs it submitted earlier.
 */
export function keyBudgetsFrom(store: Pick<VirtualKeyStore, 'get'>): KeyBudgetLookup {
  return async (keyId) => {
    const key = await store.get(keyId);
    if (key === undefined) return undefined;
    return {
      ...(key.maxBudget === undefined ? {} : { maxBudget: key.maxBudget }),
      ...(key.budgetDurationMs === undefined ? {} : { budgetDurationMs: key.budgetDurationMs }),
    };
  };
}
