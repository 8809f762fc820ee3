import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig, type SwitchyardConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import { loopbackFor } from '@switchyard/local-servers';
import type { Logger } from '@switchyard/telemetry';
import { resolveConfigSource } from '../config-source';
import { formatModelMap } from '../model-map';
import { deploymentsWithoutKey, keyVariables } from '../stack/api-keys';
import { formatBanner } from '../stack/banner';
import { demoConfigFor } from '../stack/demo-config';
import { ensurePortFree } from '../stack/free-port-check';
import { gatewayHost, noMasterKeyNotice } from '../stack/gateway-binding';
import { createLogRelay } from '../stack/log-relay';
import { runStack } from '../stack/run-stack';
import { Stack } from '../stack/stack';
import { watchStopSignals } from '../stack/stop-signals';

export interface UpOptions {
  configPath: string | undefined;
  /** Use the demo config even when ./config.yaml exists. */
  demo: boolean;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Where the services' log lines and the banner go. */
  out: Writable;
  /** Coloured human-readable lines (a terminal) instead of JSON lines. */
  pretty: boolean;
  /** The gateway's port. @defaultValue 4000 */
  gatewayPort: number;
  /**
   * The gateway's address; one other than loopback only with a master key (see gatewayHost).
   * @defaultValue '127.0.0.1'
   */
  gatewayHost?: string;
  /** The provider simulator's port (demo config only). @defaultValue 4010 */
  simulatorPort: number;
  /** Where `up` keeps its files (server data, a demo config copy). @defaultValue '.switchyard' */
  stateDir?: string;
}

const loopback = '127.0.0.1';

/**
 * `switchyard up`, what `npm start` runs: the whole stack on this machine. Loads the config
 * (the demo config when there is none), makes sure NATS and Redis are there, provisions the
 * JetStream topology, starts the provider simulator (demo), the fallback router, metering,
 * the batch runner, one worker pool per provider and the gateway as child processes, waits
 * until the gateway is ready and prints how to use it. Without a master key the gateway runs
 * with `--insecure` on 127.0.0.1 only, and the log and the banner say so. Returns 0 after Ctrl-C / SIGTERM stopped
 * it in order, 1 when a service exited on its own or never got ready (the stack is stopped
 * then too).
 */
export async function up(options: UpOptions): Promise<number> {
  const { log } = options;
  const stateDir = options.stateDir ?? '.switchyard';
  const source = resolveConfigSource(options.configPath, { demo: options.demo });
  const configPath = source.isDemo
    ? await demoConfigFor(options.simulatorPort, stateDir)
    : resolve(source.path);
  const { config, warnings } = await loadConfig(source.isDemo ? configPath : source.path, {
    env: options.env,
  });
  for (const warning of warnings) log.warn(warning);
  log.info(
    `config ${source.isDemo ? 'the demo config (no ./config.yaml here)' : source.path}:\n` +
      formatModelMap(config)
        .map((line) => `  ${line}`)
        .join('\n'),
  );
  if (!source.isDemo) checkApiKeys(config, source.path, log);
  const host = gatewayHost(config, options.gatewayHost ?? loopback);
  if (config.general.masterKey === undefined) log.warn(noMasterKeyNotice);
  await ensurePortFree('the gateway', loopbackFor(host), options.gatewayPort, '--port');
  if (source.isDemo) {
    await ensurePortFree('the provider simulator', loopback, options.simulatorPort, '--sim-port');
  }

  const stack = new Stack({
    cwd: process.cwd(),
    relay: createLogRelay({ pretty: options.pretty, out: options.out }),
    log,
  });
  const signals = watchStopSignals((signal) => {
    log.warn(`${signal} again: killing the stack`);
    stack.killNow();
    process.exit(130);
  });
  try {
    const simulatorPort = source.isDemo ? options.simulatorPort : undefined;
    const outcome = await runStack({
      config,
      configPath,
      env: options.env,
      dataDir: join(stateDir, 'data'),
      gateway: { host, port: options.gatewayPort },
      ...(simulatorPort === undefined ? {} : { simulatorPort }),
      stack,
      stopRequested: signals.requested,
      log,
      onReady: (services) => {
        const banner = formatBanner({
          config,
          url: `http://localhost:${options.gatewayPort}`,
          ...(simulatorPort === undefined
            ? {}
            : { simulatorUrl: `http://localhost:${simulatorPort}` }),
          services,
        });
        if (options.pretty) options.out.write(`\n${banner}\n\n`);
        else log.info({ event: 'ready', url: `http://localhost:${options.gatewayPort}` }, banner);
      },
    });
    return outcome === 'stopped' ? 0 : 1;
  } finally {
    await stack.stop();
    signals.dispose();
  }
}

function checkApiKeys(config: SwitchyardConfig, path: string, log: Logger): void {
  const missing = deploymentsWithoutKey(config);
  if (missing.length === 0) return;
  const all = Object.values(config.models).flatMap((model) => model.deployments);
  const names = missing.map((deployment) => deployment.id).join(', ');
  const variables = keyVariables(missing).join(', ');
  if (missing.length < all.length) {
    log.warn(`${path}: no API key for ${names} (set ${variables}); calls to them will fail`);
    return;
  }
  throw new UserError(
    `${path}: no deployment has an API key (set ${variables}, or api_key in the config). ` +
      'To run the offline demo against the bundled provider simulator instead: npm start -- --demo',
  );
}
