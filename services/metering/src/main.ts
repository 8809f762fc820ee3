import { parseArgs } from 'node:util';
import { loadConfig, serviceNatsOptions } from '@switchyard/config';
import {
  UserError,
  connectRedis,
  loggerFromEnv,
  portOption,
  runMain,
  stopSignal,
} from '@switchyard/entrypoint';
import { closeNats, connectNats } from '@switchyard/messaging';
import { startMetering } from './start-metering';

const usage = `metering: usage events aggregated exactly once in Redis, spend queries over NATS

  node dist/services/metering/main.mjs [--config config.yaml] [--metrics-port 9464]

  --config        the Switchyard config file                      default ./config.yaml
  --metrics-port  serve Prometheus metrics on http://0.0.0.0:<port>/metrics (every interface)
  --ack-wait-ms   how long events taken by a replica that died wait for redelivery
                                                                   default 30000

SIGTERM or SIGINT: stop answering and pulling, settle the events taken, exit 0.
`;

/** Exit codes: 0 stopped by a signal, 1 failed, 2 bad command line. */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c', default: 'config.yaml' },
      'metrics-port': { type: 'string' },
      'ack-wait-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const metricsPort = portOption('metrics-port', values['metrics-port']);
  const ackText = values['ack-wait-ms'];
  const ackWaitMs = ackText === undefined ? undefined : Number(ackText);
  if (ackWaitMs !== undefined && !(Number.isInteger(ackWaitMs) && ackWaitMs >= 1_000)) {
    throw new UserError(`--ack-wait-ms must be a whole number of at least 1000, got "${ackText}"`);
  }
  const log = loggerFromEnv('metering', env);
  const { config, warnings } = await loadConfig(values.config, { env });
  for (const warning of warnings) log.warn(warning);

  const nc = await connectNats({
    ...serviceNatsOptions(config, 'metering'),
    name: 'switchyard-metering',
    logger: log,
  });
  const redis = await connectRedis(config.switchyard.redis.url, config.switchyard.redis, {
    logger: log,
  });
  const stopRequested = stopSignal();
  try {
    const metering = await startMetering({
      config,
      nc,
      redis,
      logger: log,
      ...(metricsPort === undefined ? {} : { metricsPort }),
      ...(ackWaitMs === undefined ? {} : { ackWaitMs }),
    });
    const signal = await stopRequested;
    log.info({ signal }, 'stopping');
    await metering.stop();
  } finally {
    await closeNats(nc);
    redis.disconnect();
    log.flush();
  }
  return 0;
}

runMain('metering', () => main(process.argv.slice(2), process.env));
