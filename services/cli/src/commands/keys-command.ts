import { parseArgs } from 'node:util';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import type { CliCommand } from '../cli-command';
import { loadCliConfig, withNats } from '../cli-session';
import { durationOption, integerOption, listOption, positiveNumberOption } from '../cli-values';
import { createKey, listKeys, revokeKey, type KeysContext } from '../keys/keys-actions';

export const keysCommand: CliCommand = {
  name: 'keys',
  usage: `  keys create [--tenant t] [--alias a] [--models m1,m2] [--rpm n] [--max-budget usd]
              [--budget-duration 30d]
                              Create a virtual key; prints its secret once, and its record.
  keys list [--tenant t] [--all]
                              The live keys (--all: revoked ones too).
  keys revoke <id|alias>      Revoke a key at once, everywhere.
                              All three take --config <file> (default ./config.yaml, else the
                              demo config) for the NATS whose keys bucket they use.`,
  async run({ argv, env, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        tenant: { type: 'string', short: 't' },
        alias: { type: 'string' },
        models: { type: 'string' },
        rpm: { type: 'string' },
        'max-budget': { type: 'string' },
        'budget-duration': { type: 'string' },
        all: { type: 'boolean', default: false },
      },
    });
    const [subcommand, ...rest] = positionals;
    const input = {
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
      ...(values.alias === undefined ? {} : { alias: values.alias }),
      ...(values.models === undefined ? {} : { models: listOption(values.models) }),
      ...(values.rpm === undefined ? {} : { rpm: integerOption(values.rpm, '--rpm') }),
      ...(values['max-budget'] === undefined
        ? {}
        : { maxBudget: positiveNumberOption(values['max-budget'], '--max-budget') }),
      ...(values['budget-duration'] === undefined
        ? {}
        : { budgetDurationMs: durationOption(values['budget-duration'], '--budget-duration') }),
    };
    const valid =
      (subcommand === 'create' && rest.length === 0) ||
      (subcommand === 'list' && rest.length === 0) ||
      (subcommand === 'revoke' && rest.length === 1);
    if (!valid) return 2;
    const config = await loadCliConfig(values.config, env);
    return withNats(config, 'switchyard-keys', async (nc) => {
      const store = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config));
      const context: KeysContext = { store, models: Object.keys(config.models), out };
      try {
        if (subcommand === 'create') return await createKey(context, input);
        if (subcommand === 'list') {
          return await listKeys(context, {
            ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
            includeRevoked: values.all,
          });
        }
        return await revokeKey(context, rest[0] ?? '');
      } finally {
        await store.close();
      }
    });
  },
};
