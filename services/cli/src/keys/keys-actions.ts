import type { Writable } from 'node:stream';
import { USAGE_MAX_AGE_MS } from '@switchyard/contracts';
import { UserError } from '@switchyard/entrypoint';
import { KeyInputError, type CreateKeyInput, type VirtualKeyStore } from '@switchyard/keys';
import { describeKey, keysTable } from './keys-output';

/** What the keys commands need: the store, the configured models, and where to print. */
export interface KeysContext {
  store: VirtualKeyStore;
  /** The installation's logical models; a key may only name these. */
  models: readonly string[];
  out: Writable;
}

const print = (out: Writable, lines: readonly string[]) => out.write(`${lines.join('\n')}\n`);

/** `keys create`: prints the secret (once) and the record. Unknown models and invalid input are UserErrors. */
export async function createKey(context: KeysContext, input: CreateKeyInput): Promise<number> {
  const unknown = (input.models ?? []).filter((model) => !context.models.includes(model));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown model${unknown.length > 1 ? 's' : ''} ${unknown.map((m) => JSON.stringify(m)).join(', ')}: the configured models are ${context.models.map((m) => JSON.stringify(m)).join(', ')}`,
    );
  }
  try {
    const { key, secret } = await context.store.create(input);
    print(context.out, [
      'Secret (shown only now; store it somewhere safe):',
      '',
      `  ${secret}`,
      '',
      ...describeKey(key),
      ...((key.budgetDurationMs ?? 0) > USAGE_MAX_AGE_MS
        ? [
            '',
            `Note: the budget period is longer than the ${USAGE_MAX_AGE_MS / 86_400_000} days the usage stream keeps events; if Redis loses its data, only the last ${USAGE_MAX_AGE_MS / 86_400_000} days of a period's spend can be rebuilt.`,
          ]
        : []),
    ]);
    return 0;
  } catch (error) {
    if (error instanceof KeyInputError) throw new UserError(error.message);
    throw error;
  }
}

/** `keys list`: the table of live keys (all keys with `includeRevoked`). */
export async function listKeys(
  context: KeysContext,
  options: { tenant?: string; includeRevoked?: boolean },
): Promise<number> {
  const keys = await context.store.list(options);
  if (keys.length === 0) {
    print(context.out, [options.includeRevoked === true ? 'No keys.' : 'No live keys.']);
    return 0;
  }
  print(context.out, keysTable(keys));
  return 0;
}

/** `keys revoke <id|alias>`: 0 when revoked (or already), 1 when there is no such key. */
export async function revokeKey(context: KeysContext, idOrAlias: string): Promise<number> {
  const key = await context.store.revoke(idOrAlias);
  if (key === undefined) {
    print(context.out, [`No key has the id or alias ${JSON.stringify(idOrAlias)}.`]);
    return 1;
  }
  const name = key.alias === undefined ? key.id : `${key.id} (${key.alias})`;
  print(context.out, [`Revoked ${name} at ${new Date(key.revokedAt ?? 0).toISOString()}.`]);
  return 0;
}
