import { parseArgs } from 'node:util';
import { loadConfig, serviceNatsOptions } from '@switchyard/config';
import {
  connectRedis,
  loggerFromEnv,
  runMain,
  stopSignal,
  UserError,
} from '@switchyard/entrypoint';
import { closeNats, connectNats } from '@switchyard/messaging';
import { applyMasterKeyRule } from './master-key-rule';
import { startGateway } from './start-gateway';

const usage = `gateway: the OpenAI-compatible HTTP edge of Switchyard

  node dist/services/gateway/main.mjs [--config config.yaml] [--port 4000] [--host 127.0.0.1]
                                      [--insecure]

  --config    the Switchyard config file     default $SWITCHYARD_CONFIG, else ./config.yaml
  --port      the port to listen on          default 4000
  --host      the address to listen on       default 127.0.0.1 (0.0.0.0 for every interface)
  --insecure  start without general_settings.master_key: every request without a valid
              key is served as tenant "default" with every model. Without this flag, a
              config without a master key is refused (exit 1).

SIGTERM or SIGINT: stop accepting, let requests in flight finish for 10 s, cancel the rest,
close the connections, exit 0.
`;

function portOf(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65_535))
    throw new UserError(`gateway: --port must be 0 to 65535, got ${text}`);
  return port;
}

/**
 * Exit codes: 0 stopped by a signal, 1 failed (also: no master key and no --insecure), 2 bad
 * command line.
 */
async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c', default: env['SWITCHYARD_CONFIG'] ?? 'config.yaml' },
      port: { type: 'string', short: 'p', default: '4000' },
      host: { type: 'string', default: '127.0.0.1' },
      insecure: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const port = portOf(values.port);
  const log = loggerFromEnv('gateway', env);
  const { config, warnings } = await loadConfig(values.config, { env });
  for (const warning of warnings) log.warn(warning);
  applyMasterKeyRule(
    config,
    { insecure: values.insecure, configPath: values.config, listenOn: `${values.host}:${port}` },
    log,
  );

  const nc = await connectNats({
    ...serviceNatsOptions(config, 'gateway'),
    name: 'switchyard-gateway',
    logger: log,
  });
  const redis = await connectRedis(config.switchyard.redis.url, config.switchyard.redis, {
    logger: log,
  });
  const stopRequested = stopSignal();
  try {
    const gateway = await startGateway({ config, nc, redis, port, host: values.host, logger: log });
    process.stdout.write(`gateway listening on ${gateway.url}\n`);
    const signal = await stopRequested;
    log.info({ signal }, 'stopping: no new requests; waiting for requests in flight');
    await gateway.close();
    log.info('stopped');
  } finally {
    await closeNats(nc);
    redis.disconnect();
    log.flush();
  }
  return 0;
}

runMain('gateway', () => main(process.argv.slice(2), process.env));
