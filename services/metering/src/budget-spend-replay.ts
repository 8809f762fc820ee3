import type { TenantSettings } from '@switchyard/config';
import type { UsageEvent } from '@switchyard/contracts';
import type { VirtualKeyStore } from '@switchyard/keys';
import { budgetScopesOf, usdToMicros, type BudgetLedger } from '@switchyard/limits';

/** What re-derives budget spend from usage events. */
export interface BudgetSpendReplayOptions {
  ledger: BudgetLedger;
  /** `config.switchyard.tenants`: the tenants' budgets. */
  tenants: Readonly<Record<string, TenantSettings>>;
  /** Where the virtual keys' budgets are read (the key store's view). */
  keys: Pick<VirtualKeyStore, 'get'>;
}

/**
 * Adds the cost of replayed usage events to the budget ledger, as the worker did when it
 * settled them: each successful, priced call on its tenant's and its virtual key's budget
 * (when they have one), counted only where the event lies in the budget's current period and
 * only if that usage event was not counted yet (libs/limits `recordSpend`).
 */
export function budgetSpendReplay(
  options: BudgetSpendReplayOptions,
): (events: readonly UsageEvent[]) => Promise<void> {
  const { ledger, tenants, keys } = options;
  return async (events) => {
    const recorded = events.map(async (event) => {
      if (event.status !== 'success' || event.cost_usd === null || event.cost_usd <= 0) return;
      const tenant = Object.hasOwn(tenants, event.tenant) ? tenants[event.tenant] : undefined;
      const key = event.key_id === undefined ? undefined : await keys.get(event.key_id);
      const scopes = budgetScopesOf(event.tenant, tenant, event.key_id, key);
      if (scopes.length === 0) return;
      await ledger.recordSpend(scopes, {
        usageEventId: event.id,
        micros: usdToMicros(event.cost_usd),
        at: event.at,
      });
    });
    await Promise.all(recorded);
  };
}
