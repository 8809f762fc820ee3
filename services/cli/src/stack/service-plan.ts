import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SwitchyardConfig } from '@switchyard/config';
import type { ServiceSpec } from './service-process';

/** The repository root: services are started from their sources there. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const mainOf = (service: string) => `${repoRoot}services/${service}/src/main.ts`;

export interface ServicePlanOptions {
  config: SwitchyardConfig;
  /** Absolute path of the config file every service loads. */
  configPath: string;
  gateway: { host: string; port: number };
  /** Run the provider simulator on this port (the demo config); absent: no simulator. */
  simulatorPort?: number;
}

/** The providers the config's deployments use, each once, in config order. */
export function providersOf(config: SwitchyardConfig): string[] {
  const providers = Object.values(config.models).flatMap((model) =>
    model.deployments.map((deployment) => deployment.provider),
  );
  return [...new Set(providers)];
}

/**
 * The services of the stack, in start order: the simulator (demo only), the fallback router,
 * metering (when services/metering exists), one worker pool per provider, the gateway last
 * (with `--insecure` when the config has no master key: `up` then keeps it on loopback, see
 * gatewayHost).
 */
export function planServices(options: ServicePlanOptions): ServiceSpec[] {
  const { config, configPath } = options;
  const withConfig = ['--config', configPath];
  const specs: ServiceSpec[] = [];
  if (options.simulatorPort !== undefined) {
    specs.push({
      name: 'provider-sim',
      role: 'simulator',
      script: mainOf('provider-sim'),
      args: ['--port', String(options.simulatorPort), '--host', '127.0.0.1'],
      stopTimeoutMs: 5_000,
    });
  }
  specs.push({
    name: 'fallback',
    role: 'fallback',
    script: mainOf('fallback'),
    args: withConfig,
    stopTimeoutMs: 10_000,
  });
  if (existsSync(mainOf('metering'))) {
    specs.push({
      name: 'metering',
      role: 'metering',
      script: mainOf('metering'),
      args: withConfig,
      stopTimeoutMs: 10_000,
    });
  }
  for (const provider of providersOf(config)) {
    specs.push({
      name: `worker-${provider}`,
      role: 'worker',
      script: mainOf('worker'),
      args: ['--provider', provider, ...withConfig],
      stopTimeoutMs: config.switchyard.worker.shutdownGraceMs + 10_000,
    });
  }
  specs.push({
    name: 'gateway',
    role: 'gateway',
    script: mainOf('gateway'),
    args: [
      ...withConfig,
      '--port',
      String(options.gateway.port),
      '--host',
      options.gateway.host,
      ...(config.general.masterKey === undefined ? ['--insecure'] : []),
    ],
    stopTimeoutMs: 10_000,
  });
  return specs;
}
