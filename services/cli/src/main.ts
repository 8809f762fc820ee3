import { parseArgs } from 'node:util';
import { createLogger, type LogLevel } from '@switchyard/telemetry';
import { ConfigError } from '@switchyard/config';
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
  const log = createLogger({
    name: 'switchyard',
    level: (env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info',
    pretty: process.stdout.isTTY,
  });
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

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigError || !(error instanceof Error)
        ? String(error instanceof Error ? error.message : error)
        : (error.stack ?? error.message);
    process.stderr.write(`switchyard: ${message}\n`);
    process.exitCode = 1;
  },
);
