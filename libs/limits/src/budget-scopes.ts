import type { TenantSettings } from '@switchyard/config';
import type { BudgetScope } from './budget-ledger.types';

/** A budget as config (a tenant) or a key record holds it. */
export type BudgetSettings = Pick<TenantSettings, 'maxBudget' | 'budgetDurationMs'>;

function scopeOf(
  tenant: string,
  budget: BudgetSettings | undefined,
  keyId?: string,
): BudgetScope | undefined {
  if (budget?.maxBudget === undefined) return undefined;
  return {
    tenant,
    ...(keyId === undefined ? {} : { keyId }),
    maxBudget: budget.maxBudget,
    ...(budget.budgetDurationMs === undefined ? {} : { budgetDurationMs: budget.budgetDurationMs }),
  };
}

/**
 * The scopes a call's cost counts against: its tenant's budget and its virtual key's, each
 * when it has a `maxBudget`. The worker reserves and settles on them; metering's rebuild adds
 * replayed spend to the same ones.
 */
export function budgetScopesOf(
  tenant: string,
  tenantBudget: BudgetSettings | undefined,
  keyId?: string,
  keyBudget?: BudgetSettings,
): BudgetScope[] {
  return [scopeOf(tenant, tenantBudget), scopeOf(tenant, keyBudget, keyId)].filter(
    (scope) => scope !== undefined,
  );
}
