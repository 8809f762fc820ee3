import { parseArgs } from 'node:util';
import { isSupportedProvider, loadConfig, serviceNatsOptions } from '@switchyard/config';
import {
  connectRedis,
  loggerFromEnv,
  portOption,
  runMain,
  stopSignal,
} from '@switchyard/entrypoint';
import { closeNats, connectNats } from '@switchyard/messaging';
import { closeAll } from '@switchyard/providers';
import { createMetrics, serveMetrics } from '@switchyard/telemetry';
import { startWorker } from './start-worker';

const usage = `worker: the worker pool of one provider

  node dist/services/worker/main.mjs --provider <name> [--config config.yaml] [--metrics-port 9464]

  --provider      the provider whose deployments this pool calls (openai, anthropic, gemini, …)
  --config        the Switchyard config file                    default ./config.yaml
  --metrics-port  serve Prometheus metrics on http://0.0.0.0:<port>/metrics (0: any free port)

SIGTERM or SIGINT: stop pulling, let jobs in flight finish for switchyard.worker
shutdown_grace_seconds, hand the rest back, close the connections, exit 0.
`;

/** Exit codes: 0 stopped by a signal, 1 failed, 2 bad command line. */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      provider: { type: 'string', short: 'p' },
      config: { type: 'string', short: 'c', default: 'config.yaml' },
      'metrics-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const provider = values.provider;
  if (provider === undefined || !isSupportedProvider(provider)) {
    process.stderr.write(`worker: --provider must name a supported provider\n\n${usage}`);
    return 2;
  }
  const metricsPort = portOption('metrics-port', values['metrics-port']);
  const log = loggerFromEnv(`worker-${provider}`, env);
  const { config, warnings } = await loadConfig(values.config, { env });
  for (const warning of warnings) log.warn(warning);

  const nc = await connectNats({
    ...serviceNatsOptions(config, 'worker'),
    name: `switchyard-worker-${provider}`,
    logger: log,
  });
  const redis = await connectRedis(config.switchyard.redis.url, config.switchyard.redis, {
    logger: log,
  });
  const cacheUrl = config.cache.enabled ? config.cache.redisUrl : undefined;
  const cacheRedis =
    cacheUrl === undefined
      ? undefined
      : await connectRedis(cacheUrl, config.switchyard.redis, { logger: log });
  const stopRequested = stopSignal();
  const metrics = createMetrics('switchyard-worker', { enabled: metricsPort !== undefined });
  const metricsServer =
    metricsPort === undefined ? undefined : await serveMetrics(metrics, metricsPort);
  if (metricsServer !== undefined) log.info({ url: metricsServer.url }, 'serving metrics');
  try {
    const worker = await startWorker({
      metrics,
      config,
      provider,
      nc,
      redis,
      ...(cacheRedis === undefined ? {} : { cacheRedis }),
      logger: log,
    });
    const signal = await stopRequested;
    log.info({ signal }, 'stopping: no new jobs; waiting for jobs in flight');
    const summary = await worker.stop(config.switchyard.worker.shutdownGraceMs);
    log.info(summary, 'stopped');
  } finally {
    await closeNats(nc);
    await metricsServer?.close();
    await metrics.shutdown();
    redis.disconnect();
    cacheRedis?.disconnect();
    await closeAll();
    log.flush();
  }
  return 0;
}

runMain('worker', () => main(process.argv.slice(2), process.env));
