import { parseArgs } from 'node:util';
import { loadConfig, serviceNatsOptions } from '@switchyard/config';
import { closeNats, connectNats, registerService } from '@switchyard/messaging';
import { loggerFromEnv, portOption, runMain, stopSignal } from '@switchyard/entrypoint';
import { createMetrics, serveMetrics } from '@switchyard/telemetry';
import { startBatchRunner } from './start-batch-runner';

/**
 * `node dist/services/batch/main.mjs [--config config.yaml] [--metrics-port 9464]`: runs the
 * batch runner until SIGTERM or SIGINT (its batches are resumed by the next runner). The config
 * path defaults to $SWITCHYARD_CONFIG, else ./config.yaml.
 */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, 'metrics-port': { type: 'string' } },
  });
  const metricsPort = portOption('metrics-port', values['metrics-port']);
  const log = loggerFromEnv('switchyard-batch', env);
  const { config, warnings } = await loadConfig(
    values.config ?? env['SWITCHYARD_CONFIG'] ?? 'config.yaml',
    { env },
  );
  for (const warning of warnings) log.warn(warning);
  const nc = await connectNats({
    ...serviceNatsOptions(config, 'batch'),
    name: 'switchyard-batch',
    logger: log,
  });
  const metrics = createMetrics('switchyard-batch', { enabled: metricsPort !== undefined });
  const metricsServer =
    metricsPort === undefined ? undefined : await serveMetrics(metrics, metricsPort);
  if (metricsServer !== undefined) log.info({ url: metricsServer.url }, 'serving metrics');
  const runner = await startBatchRunner({ config, nc, logger: log, metrics });
  const service = await registerService(nc, {
    name: 'switchyard-batch',
    version: '0.1.0',
    description: 'the batch runner of /v1/batches',
    stats: () => ({ running: runner.running }),
  });
  log.info('batch runner started');
  await stopSignal();
  await service.stop();
  await runner.stop();
  await metricsServer?.close();
  await metrics.shutdown();
  await closeNats(nc);
}

runMain('switchyard-batch', () => main(process.argv.slice(2), process.env));
