import { parseArgs } from 'node:util';
import { loggerFromEnv, runMain } from '@switchyard/entrypoint';
import { configCheck } from './commands/config-check';
import { up } from './commands/up';
import { usage } from './usage';

/** Exit codes: 0 done, 1 failed (the message says why), 2 the command line was wrong. */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, subcommand, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(usage);
    return values.help || command === 'help' ? 0 : 2;
  }
  const log = loggerFromEnv('switchyard', env);
  switch (command) {
    case 'up':
      await up({ configPath: values.config, env, log });
      return 0;
    case 'config':
      if (subcommand !== 'check' || rest.length > 1) break;
      return configCheck({ configPath: rest[0] ?? values.config, env, out: process.stdout });
  }
  process.stderr.write(`switchyard: unknown command "${positionals.join(' ')}"\n\n${usage}`);
  return 2;
}

runMain('switchyard', () => main(process.argv.slice(2), process.env));
