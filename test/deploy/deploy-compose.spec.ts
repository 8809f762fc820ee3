import { describe, expect, it } from 'vitest';
import {
  checkArgs,
  entrypointArms,
  isAllowedImage,
  listenPort,
  loadDeployConfig,
  metricsPort,
  productionSources,
  providersByModel,
  must,
  readRepoFile,
  splitCommand,
  yamlFile,
} from './deploy-repo.test-support';

interface ComposeService {
  image?: string;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

const compose = yamlFile<{ services: Record<string, ComposeService> }>('deploy/docker-compose.yml');
const services = compose.services;
const projectServices = Object.entries(services).filter(([, service]) =>
  service.image?.includes('switchyard'),
);

/** The environment compose gives a service when no variable is set: `${VAR:-default}` → default. */
function defaultEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      String(value).replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
    ]),
  );
}

const gateway = must(services['gateway'], 'the gateway service');
const sim = must(services['provider-sim'], 'the provider-sim service');
const config = loadDeployConfig('deploy/config/config.yaml', defaultEnv(gateway));
const pools = new Set([...providersByModel(config).values()].flatMap((set) => [...set]));

describe('deploy/docker-compose.yml', () => {
  it('runs NATS with JetStream, Redis, the gateway, one worker per pool, fallback, metering, Prometheus and Grafana', () => {
    const expected = ['nats', 'redis', 'gateway', 'fallback', 'metering', 'provider-sim'];
    expected.push('prometheus', 'grafana', ...[...pools].map((pool) => `worker-${pool}`));
    expect(Object.keys(services).sort()).toEqual(expected.sort());
    expect(services['nats']?.command).toContain('--jetstream');
    expect(services['provider-sim']?.profiles).toEqual(['sim']);
    expect(pools).toEqual(new Set(['openai', 'anthropic', 'gemini']));
  });

  it('starts each project service through an entry point with flags its main.ts accepts', () => {
    const arms = entrypointArms();
    expect(projectServices.length).toBe(Object.keys(services).length - 4);
    for (const [name, service] of projectServices) {
      const [entry, args] = splitCommand(service.command);
      expect(arms.has(entry), `${name}: ${entry}`).toBe(true);
      expect(checkArgs(entry, args).problems).toEqual([]);
      if (entry === 'worker') {
        expect(name).toBe(`worker-${checkArgs(entry, args).values.get('provider')}`);
      }
    }
    expect(checkArgs('worker', ['--provider', 'openai', '--colour', 'x']).problems).toEqual([
      'worker: --colour is not an option of services/worker/src/main.ts',
    ]);
  });

  it('publishes the ports the code listens on', () => {
    expect(listenPort('gateway', splitCommand(gateway.command)[1])).toBe(4000);
    expect(listenPort('gateway', [])).toBe(4000);
    expect(gateway.ports).toEqual(['4000:4000']);
    expect(listenPort('provider-sim', splitCommand(sim.command)[1])).toBe(4010);
    expect(sim.ports).toEqual(['4010:4010']);
    for (const [, service] of projectServices) {
      const [entry, args] = splitCommand(service.command);
      for (const mapping of service.ports ?? []) {
        expect(Number(mapping.split(':')[1])).toBe(listenPort(entry, args));
      }
    }
  });

  it('loads deploy/config/config.yaml with the environment it gives, pointed at the simulator', () => {
    const simPort = listenPort('provider-sim', splitCommand(sim.command)[1]);
    for (const [name, service] of projectServices) {
      expect(
        () => loadDeployConfig('deploy/config/config.yaml', defaultEnv(service)),
        name,
      ).not.toThrow();
      expect(service.volumes).toContain('./config/config.yaml:/etc/switchyard/config.yaml:ro');
    }
    for (const model of Object.values(config.models)) {
      for (const deployment of model.deployments) {
        expect(deployment.apiBase).toMatch(new RegExp(`^http://provider-sim:${simPort}/`));
      }
    }
    expect(() => loadDeployConfig('deploy/config/config.yaml', {})).toThrow(/OPENAI_API_BASE/);
  });

  it('uses only the project image and pinned official images', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(isAllowedImage(service.image ?? ''), `${name}: ${service.image}`).toBe(true);
    }
  });
});

describe('deploy/prometheus and deploy/grafana', () => {
  const prometheus = yamlFile<{
    scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
  }>('deploy/prometheus/prometheus.yml');

  it('scrapes /metrics of every compose service that serves it, on the port it serves it', () => {
    const targets = prometheus.scrape_configs.flatMap((job) =>
      job.static_configs.flatMap((group) => group.targets),
    );
    expect(targets).toContain('gateway:4000');
    for (const target of targets) {
      const [host = '', port] = target.split(':');
      const [entry, args] = splitCommand(services[host]?.command);
      expect(entry, target).not.toBe('');
      const served = entry === 'gateway' ? listenPort(entry, args) : metricsPort(entry, args);
      expect(served, target).toBe(Number(port));
    }
    for (const [name, service] of projectServices) {
      const [entry, args] = splitCommand(service.command);
      const port = metricsPort(entry, args);
      if (port !== undefined) expect(targets).toContain(`${name}:${port}`);
    }
    expect(metricsPort('gateway', [])).toBeUndefined();
  });

  it('charts only metrics that the code defines', () => {
    const sources = productionSources().map(readRepoFile).join('\n');
    const dashboard = readRepoFile('deploy/grafana/dashboards/switchyard.json');
    const names = new Set(
      [...dashboard.matchAll(/\bswitchyard_[a-z0-9_]+/g)].map(([name]) =>
        name.replace(/_(total|bucket|sum|count)$/, ''),
      ),
    );
    expect(names.size).toBeGreaterThan(3);
    for (const name of names) expect(sources, name).toContain(`'${name}'`);
    expect(sources).not.toContain(`'switchyard_no_such_metric'`);
  });

  it('provisions the datasource the dashboard uses, from where compose mounts it', () => {
    const datasources = yamlFile<{ datasources: { uid: string; url: string }[] }>(
      'deploy/grafana/provisioning/datasources/prometheus.yml',
    );
    const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboards/switchyard.json')) as {
      panels: { datasource?: { uid: string } }[];
    };
    const uids = new Set(dashboard.panels.flatMap((panel) => panel.datasource?.uid ?? []));
    expect([...uids]).toEqual(datasources.datasources.map((source) => source.uid));
    expect(datasources.datasources[0]?.url).toBe('http://prometheus:9090');
    expect(services['grafana']?.volumes).toContain(
      './grafana/dashboards:/var/lib/grafana/dashboards:ro',
    );
  });
});
