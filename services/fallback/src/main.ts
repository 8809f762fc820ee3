import { parseArgs } from 'node:util';
import { loadConfig } from '@switchyard/config';
import { closeNats, connectNats } from '@switchyard/messaging';
import { createLogger, type LogLevel } from '@switchyard/telemetry';
import { startFallbackRouter } from './fallback-router';

/**
 * `tsx services/fallback/src/main.ts [--config config.yaml]`: runs the fallback router until
 * SIGTERM or SIGINT. The config path defaults to $SWITCHYARD_CONFIG, else ./config.yaml.
 */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' } },
  });
  const log = createLogger({
    name: 'switchyard-fallback',
    level: (env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info',
    pretty: process.stdout.isTTY,
  });
  const { config, warnings } = await loadConfig(
    values.config ?? env['SWITCHYARD_CONFIG'] ?? 'config.yaml',
    { env },
  );
  for (const warning of warnings) log.warn(warning);
  const nc = await connectNats({
    servers: [...config.switchyard.nats.servers],
    name: 'switchyard-fallback',
    logger: log,
  });
  const router = await startFallbackRouter({ config, nc, logger: log });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await router.stop();
  await closeNats(nc);
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(
    `switchyard-fallback: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
