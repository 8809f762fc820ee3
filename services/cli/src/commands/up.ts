import { loadConfig } from '@switchyard/config';
import { stopSignal } from '@switchyard/entrypoint';
import type { Logger } from '@switchyard/telemetry';
import { resolveConfigSource } from '../config-source';
import { formatModelMap } from '../model-map';
import { checkJetStream, checkRedis } from '../stack/check-connections';
import { ensureServer, type UsedServer } from '../stack/ensure-server';

export interface UpOptions {
  configPath: string | undefined;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Where servers started by `up` keep their data. @defaultValue '.switchyard/data' */
  dataDir?: string;
}

/**
 * `switchyard up`: what `npm start` runs. Today it loads and checks the config, makes sure
 * NATS (with JetStream) and Redis are there — using the servers at NATS_URL / REDIS_URL, or
 * starting them from PATH — and holds them until Ctrl-C. The gateway, worker pools, fallback
 * router and metering join the stack as they are built.
 */
export async function up(options: UpOptions): Promise<void> {
  const { log } = options;
  const source = resolveConfigSource(options.configPath);
  const { config, warnings } = await loadConfig(source.path, { env: options.env });
  for (const warning of warnings) log.warn(warning);
  log.info(
    `config ${source.path}${source.isDemo ? ' (the demo config: no config.yaml here)' : ''}:\n` +
      formatModelMap(config)
        .map((line) => `  ${line}`)
        .join('\n'),
  );

  const dataDir = options.dataDir ?? '.switchyard/data';
  const used: UsedServer[] = [];
  const stopStarted = async () => {
    for (const server of used.reverse()) await server.started?.stop();
  };
  try {
    const nats = await ensureServer('nats', config.switchyard.nats.servers[0] ?? '', dataDir, log);
    used.push(nats);
    const redis = await ensureServer('redis', config.switchyard.redis.url, dataDir, log);
    used.push(redis);
    const natsVersion = await checkJetStream([
      nats.url,
      ...config.switchyard.nats.servers.slice(1),
    ]);
    const redisVersion = await checkRedis(redis.url);
    log.info(
      `ready: nats-server ${natsVersion} with JetStream at ${nats.url}, redis ${redisVersion} at ${redis.url}. ` +
        'Not running yet: the HTTP gateway, provider worker pools, fallback router and metering ' +
        '(they are being built). Press Ctrl-C to stop.',
    );
    await stopSignal();
    log.info('stopping');
  } finally {
    await stopStarted();
  }
}
