import type { SwitchyardConfig } from '@switchyard/config';
import { formatServerUrl, loopbackFor } from '@switchyard/local-servers';
import type { Logger } from '@switchyard/telemetry';
import { provisionStack } from './provision';
import { waitForHttpOk } from './readiness';
import { describeExit } from './service-process';
import { planServices } from './service-plan';
import type { Crash, Stack } from './stack';
import { startServers } from './start-servers';

export interface RunStackOptions {
  config: SwitchyardConfig;
  /** Absolute path of the config file the services load. */
  configPath: string;
  /** The environment of `up`, passed on to every service. */
  env: Record<string, string | undefined>;
  dataDir: string;
  gateway: { host: string; port: number };
  simulatorPort?: number;
  stack: Stack;
  stopRequested: Promise<NodeJS.Signals>;
  log: Logger;
  /** Called once the gateway is ready, with the names of the running services. */
  onReady(services: string[]): void;
  /** How long the gateway may take to become ready. @defaultValue 120000 */
  readyTimeoutMs?: number;
}

type Event =
  | { kind: 'ready' }
  | { kind: 'not-ready'; error: unknown }
  | { kind: 'crash'; crash: Crash }
  | { kind: 'stop'; signal: NodeJS.Signals };

/**
 * Starts the servers and services into `stack` and runs until a stop signal (`'stopped'`) or
 * a failure (`'failed'`: a service exited on its own, or the gateway never got ready). The
 * caller stops the stack afterwards, whatever happened.
 */
export async function runStack(options: RunStackOptions): Promise<'stopped' | 'failed'> {
  const { stack, log } = options;
  let early: NodeJS.Signals | undefined;
  void options.stopRequested.then((signal) => (early = signal));
  const servers = await startServers(options.config, options.dataDir, stack, log);
  await provisionStack(options.config, servers.nats, log);
  if (early !== undefined) return settle({ kind: 'stop', signal: early }, log);
  const env = {
    ...options.env,
    NATS_URL: servers.nats.join(','),
    REDIS_URL: servers.redis,
    SWITCHYARD_CONFIG: options.configPath,
  };
  const specs = planServices(options);
  for (const spec of specs) stack.start(spec, env);

  const crashed = stack.crashed.then((crash): Event => ({ kind: 'crash', crash }));
  const stopped = options.stopRequested.then((signal): Event => ({ kind: 'stop', signal }));
  const readiness = new AbortController();
  const gatewayUrl = formatServerUrl(
    'http',
    loopbackFor(options.gateway.host),
    options.gateway.port,
  );
  const url = `${gatewayUrl}/health/readiness`;
  const ready = waitForHttpOk(url, options.readyTimeoutMs ?? 120_000, readiness.signal).then(
    (): Event => ({ kind: 'ready' }),
    (error: unknown): Event => ({ kind: 'not-ready', error }),
  );
  const first = await Promise.race([ready, crashed, stopped]);
  readiness.abort();
  if (first.kind === 'ready') {
    options.onReady(specs.map((spec) => spec.name));
    return settle(await Promise.race([crashed, stopped]), log);
  }
  return settle(first, log);
}

function settle(event: Event, log: Logger): 'stopped' | 'failed' {
  switch (event.kind) {
    case 'stop':
      log.info(`${event.signal}: stopping the stack`);
      return 'stopped';
    case 'crash': {
      const { service, status } = event.crash;
      log.error(
        { service: service.spec.name, childPid: service.pid, ...status },
        `${service.spec.name} (pid ${service.pid}) ${describeExit(status)} unexpectedly: stopping the whole stack`,
      );
      return 'failed';
    }
    case 'not-ready':
      log.error(
        `the gateway did not become ready: ${event.error instanceof Error ? event.error.message : String(event.error)}; stopping the stack`,
      );
      return 'failed';
    case 'ready':
      return 'failed';
  }
}
