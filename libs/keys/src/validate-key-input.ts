import { DEFAULT_TENANT, logicalModelNameSchema, tenantIdSchema } from '@switchyard/contracts';
import { KeyInputError } from './key-input.error';
import type { CreateKeyInput } from './virtual-key.types';

/** The fields of a new key after validation, with the tenant defaulted. */
export type ValidKeyInput = Required<Pick<CreateKeyInput, 'tenant' | 'models'>> &
  Omit<CreateKeyInput, 'tenant' | 'models'>;

const aliasPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** At most this many models on one key. */
export const maxModelsPerKey = 256;

/**
 * An alias: 1 to 64 characters of `A-Z a-z 0-9 _ . : -`, starting with a letter or digit, and
 * not starting with `key_` (so `revoke <id|alias>` is never ambiguous).
 */
export function aliasProblem(alias: string): string | undefined {
  if (!aliasPattern.test(alias)) {
    return `alias ${JSON.stringify(alias)} must be 1 to 64 characters of A-Z a-z 0-9 _ . : -, starting with a letter or digit`;
  }
  if (alias.startsWith('key_')) return `alias ${JSON.stringify(alias)} must not start with "key_"`;
  return undefined;
}

function modelProblems(models: unknown): string[] {
  if (!Array.isArray(models)) return ['models must be an array of model names'];
  if (models.length > maxModelsPerKey) return [`models may list at most ${maxModelsPerKey}`];
  const problems: string[] = [];
  const seen = new Set<string>();
  models.forEach((model: unknown, index) => {
    if (typeof model !== 'string' || !logicalModelNameSchema.safeParse(model).success) {
      problems.push(`models[${index}] must be a model name (1 to 256 printable characters)`);
    } else if (seen.has(model)) {
      problems.push(`models[${index}] repeats ${JSON.stringify(model)}`);
    } else seen.add(model);
  });
  return problems;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
}

function positiveIntegerProblem(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
  return ok ? undefined : `${name} must be a whole number above 0, got ${describe(value)}`;
}

function budgetProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0;
  return ok ? undefined : `maxBudget must be a number of USD above 0, got ${describe(value)}`;
}

/**
 * Checks a create request and fills in defaults; throws one {@link KeyInputError} listing
 * every problem found.
 */
export function validateKeyInput(input: CreateKeyInput): ValidKeyInput {
  const tenant = input.tenant ?? DEFAULT_TENANT;
  const models = input.models ?? [];
  const problems = [
    tenantIdSchema.safeParse(tenant).success
      ? undefined
      : `tenant ${JSON.stringify(tenant)} must be 1 to 64 characters of A-Z a-z 0-9 _ -`,
    input.alias === undefined ? undefined : aliasProblem(input.alias),
    ...modelProblems(models),
    positiveIntegerProblem('rpm', input.rpm),
    budgetProblem(input.maxBudget),
    positiveIntegerProblem('budgetDurationMs', input.budgetDurationMs),
    input.budgetDurationMs !== undefined && input.maxBudget === undefined
      ? 'budgetDurationMs needs maxBudget'
      : undefined,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new KeyInputError(`invalid key: ${problems.join('; ')}`);
  return { ...input, tenant, models: [...models] };
}
