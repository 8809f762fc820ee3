import { parseArgs } from 'node:util';
import { loggerFromEnv } from '@switchyard/entrypoint';
import type { CliCommand } from '../cli-command';
import { up } from './up';

export const upCommand: CliCommand = {
  name: 'up',
  usage: `  up [--config <file>]        Start the local stack: checks the config, then uses NATS and
                              Redis at NATS_URL / REDIS_URL (default localhost), starting
                              nats-server and redis-server from PATH when none answers.`,
  async run({ argv, env }) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' } },
    });
    await up({ configPath: values.config, env, log: loggerFromEnv('switchyard', env) });
    return 0;
  },
};
