import { parseArgs } from 'node:util';
import { loadConfig, serviceNatsOptions } from '@switchyard/config';
import { closeNats, connectNats } from '@switchyard/messaging';
import { loggerFromEnv, portOption, runMain, stopSignal } from '@switchyard/entrypoint';
import { createMetrics, serveMetrics } from '@switchyard/telemetry';
import { FallbackMetrics } from './fallback-metrics';
import { startFallbackRouter } from './fallback-router';

/**
 * `node dist/services/fallback/main.mjs [--config config.yaml] [--metrics-port 9464]`: runs the
 * fallback router until SIGTERM or SIGINT, serving Prometheus metrics on
 * `http://0.0.0.0:<port>/metrics` when `--metrics-port` is given. The config path defaults to
 * $SWITCHYARD_CONFIG, else ./config.yaml.
 */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, 'metrics-port': { type: 'string' } },
  });
  const metricsPort = portOption('metrics-port', values['metrics-port']);
  const log = loggerFromEnv('switchyard-fallback', env);
  const { config, warnings } = await loadConfig(
    values.config ?? env['SWITCHYARD_CONFIG'] ?? 'config.yaml',
    { env },
  );
  for (const warning of warnings) log.warn(warning);
  const nc = await connectNats({
    ...serviceNatsOptions(config, 'fallback'),
    name: 'switchyard-fallback',
    logger: log,
  });
  const metrics = createMetrics('switchyard-fallback', { enabled: metricsPort !== undefined });
  const metricsServer =
    metricsPort === undefined ? undefined : await serveMetrics(metrics, metricsPort);
  const instruments = new FallbackMetrics(metrics.meter);
  const router = await startFallbackRouter({
    config,
    nc,
    logger: log,
    onOutcome: (outcome) => instruments.record(outcome),
  });
  await stopSignal();
  await router.stop();
  await metricsServer?.close();
  await metrics.shutdown();
  await closeNats(nc);
}

runMain('switchyard-fallback', () => main(process.argv.slice(2), process.env));
