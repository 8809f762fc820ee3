import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli-command';
import { configCheck } from './config-check';

export const configCommand: CliCommand = {
  name: 'config',
  usage: `  config check [file]         Validate a config file and print its model map and warnings.
                              The file defaults to ./config.yaml, else the demo config.`,
  async run({ argv, env, out }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string', short: 'c' } },
    });
    const [subcommand, file, ...extra] = positionals;
    if (subcommand !== 'check' || extra.length > 0) return 2;
    return configCheck({ configPath: file ?? values.config, env, out });
  },
};
