import { parseArgs } from 'node:util';
import { loadConfig } from '@switchyard/config';
import { closeNats, connectNats } from '@switchyard/messaging';
import { loggerFromEnv, runMain, stopSignal } from '@switchyard/entrypoint';
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
  const log = loggerFromEnv('switchyard-fallback', env);
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
  await stopSignal();
  await router.stop();
  await closeNats(nc);
}

runMain('switchyard-fallback', () => main(process.argv.slice(2), process.env));
