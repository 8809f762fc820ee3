import type { SwitchyardConfig } from '@switchyard/config';
import { builtServiceMain } from './built-services';
import type { ServiceSpec } from './service-process';

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
 * metering, the batch runner, one worker pool per provider, the gateway last
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
      script: builtServiceMain('provider-sim'),
      args: ['--port', String(options.simulatorPort), '--host', '127.0.0.1'],
      stopTimeoutMs: 5_000,
    });
  }
  specs.push({
    name: 'fallback',
    role: 'fallback',
    script: builtServiceMain('fallback'),
    args: withConfig,
    stopTimeoutMs: 10_000,
  });
  specs.push({
    name: 'metering',
    role: 'metering',
    script: builtServiceMain('metering'),
    args: withConfig,
    stopTimeoutMs: 10_000,
  });
  specs.push({
    name: 'batch',
    role: 'batch',
    script: builtServiceMain('batch'),
    args: withConfig,
    stopTimeoutMs: 10_000,
  });
  for (const provider of providersOf(config)) {
    specs.push({
      name: `worker-${provider}`,
      role: 'worker',
      script: builtServiceMain('worker'),
      args: ['--provider', provider, ...withConfig],
      stopTimeoutMs: config.switchyard.worker.shutdownGraceMs + 10_000,
    });
  }
  specs.push({
    name: 'gateway',
    role: 'gateway',
    script: builtServiceMain('gateway'),
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
