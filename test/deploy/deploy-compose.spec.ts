import { ServiceRoles } from '@switchyard/contracts';
import { serviceUserName } from '@switchyard/nats-auth';
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
  roleOfEntry,
  shippedNatsUsers,
  splitCommand,
  yamlFile,
} from './deploy-repo.test-support';
import {
  composeEnvironment as environmentOf,
  composeServices as services,
  requiredVariable,
  requiredVariables,
  testSecrets as secrets,
  withoutVariable,
} from './compose-file.test-support';

const projectServices = Object.entries(services).filter(([, service]) =>
  service.image?.includes('switchyard'),
);

/** `[host address, container port]` of a `ports` entry (`4000:4000`, `127.0.0.1:3000:3000`). */
function published(mapping: string): [string, number] {
  const parts = mapping.split(':');
  return [parts.length === 3 ? (parts[0] ?? '') : '0.0.0.0', Number(parts.at(-1))];
}

const gateway = must(services['gateway'], 'the gateway service');
const sim = must(services['provider-sim'], 'the provider-sim service');
const config = loadDeployConfig('deploy/config/config.yaml', environmentOf(gateway));
const pools = new Set([...providersByModel(config).values()].flatMap((set) => [...set]));

describe('deploy/docker-compose.yml', () => {
  it('runs NATS with JetStream, Redis, the gateway, one worker per pool, fallback, metering, the batch runner, the admin CLI, Prometheus and Grafana', () => {
    const expected = ['nats', 'redis', 'gateway', 'fallback', 'metering', 'batch'];
    expected.push('provider-sim', 'admin');
    expected.push('prometheus', 'grafana', ...[...pools].map((pool) => `worker-${pool}`));
    expect(Object.keys(services).sort()).toEqual(expected.sort());
    expect(readRepoFile('deploy/nats/nats-server.conf')).toMatch(/^jetstream: enabled$/m);
    expect(services['provider-sim']?.profiles).toEqual(['sim']);
    expect(services['admin']?.profiles).toEqual(['admin']);
    expect(pools).toEqual(new Set(['openai', 'anthropic', 'gemini']));
  });

  it('starts each project service through an entry point with flags its main.ts accepts, never --insecure', () => {
    const arms = entrypointArms();
    expect(projectServices.length).toBe(Object.keys(services).length - 4);
    for (const [name, service] of projectServices) {
      const [entry, args] = splitCommand(service.command);
      expect(arms.has(entry), `${name}: ${entry}`).toBe(true);
      if (entry === 'cli') continue;
      expect(checkArgs(entry, args).problems).toEqual([]);
      expect(args, name).not.toContain('--insecure');
      if (entry === 'worker') {
        expect(name).toBe(`worker-${checkArgs(entry, args).values.get('provider')}`);
      }
    }
    expect(checkArgs('worker', ['--provider', 'openai', '--colour', 'x']).problems).toEqual([
      'worker: --colour is not an option of services/worker/src/main.ts',
    ]);
  });

  it('publishes the gateway on every interface, what has no login of its own on 127.0.0.1 only, and never NATS or Redis', () => {
    expect(listenPort('gateway', splitCommand(gateway.command)[1])).toBe(4000);
    expect(listenPort('gateway', [])).toBe(4000);
    expect(gateway.ports).toEqual(['4000:4000']);
    expect(listenPort('provider-sim', splitCommand(sim.command)[1])).toBe(4010);
    expect(sim.ports).toEqual(['127.0.0.1:4010:4010']);
    for (const [, service] of projectServices) {
      const [entry, args] = splitCommand(service.command);
      for (const mapping of service.ports ?? []) {
        expect(published(mapping)[1]).toBe(listenPort(entry, args));
      }
    }
    expect(services['nats']?.ports).toBeUndefined();
    expect(services['redis']?.ports).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      for (const mapping of service.ports ?? []) {
        const [address, port] = published(mapping);
        expect([4222, 6222, 8222, 6379], `${name}: ${mapping}`).not.toContain(port);
        if (name !== 'gateway') expect(address, `${name}: ${mapping}`).toBe('127.0.0.1');
      }
    }
    expect(published('127.0.0.1:3000:3000')).toEqual(['127.0.0.1', 3000]);
  });

  it('loads deploy/config/config.yaml with the environment it gives, pointed at the simulator, with the master key required', () => {
    const simPort = listenPort('provider-sim', splitCommand(sim.command)[1]);
    for (const [name, service] of projectServices) {
      const loaded = loadDeployConfig('deploy/config/config.yaml', environmentOf(service));
      expect(loaded.general.masterKey, name).toBe(secrets['SWITCHYARD_MASTER_KEY']);
      expect(requiredVariable(service.environment?.['SWITCHYARD_MASTER_KEY']), name).toBe(
        'SWITCHYARD_MASTER_KEY',
      );
      expect(service.volumes).toContain('./config/config.yaml:/etc/switchyard/config.yaml:ro');
    }
    for (const model of Object.values(config.models)) {
      for (const deployment of model.deployments) {
        expect(deployment.apiBase).toMatch(new RegExp(`^http://provider-sim:${simPort}/`));
      }
    }
    expect(() => loadDeployConfig('deploy/config/config.yaml', {})).toThrow(/OPENAI_API_BASE/);
    const withoutKey = withoutVariable(environmentOf(gateway), 'SWITCHYARD_MASTER_KEY');
    expect(() => loadDeployConfig('deploy/config/config.yaml', withoutKey)).toThrow(
      /SWITCHYARD_MASTER_KEY/,
    );
    const otherSecrets = withoutVariable(secrets, 'SWITCHYARD_MASTER_KEY');
    expect(() => environmentOf(gateway, otherSecrets)).toThrow(
      'SWITCHYARD_MASTER_KEY: set SWITCHYARD_MASTER_KEY in deploy/.env (see .env.example)',
    );
  });

  it('runs NATS with deploy/nats (JetStream, the generated users), every password from a required variable', () => {
    const nats = must(services['nats'], 'the nats service');
    expect(nats.command).toEqual([
      '--config',
      '/etc/nats/nats-server.conf',
      '--store_dir',
      '/data',
    ]);
    expect(nats.volumes).toEqual(['./nats:/etc/nats:ro', 'nats-data:/data']);
    expect(readRepoFile('deploy/nats/nats-server.conf')).toMatch(/^include \.\/auth\.conf$/m);
    const users = shippedNatsUsers();
    expect([...users.keys()]).toEqual(ServiceRoles.map(serviceUserName));
    const environment = nats.environment ?? {};
    expect(Object.keys(environment).sort()).toEqual([...users.values()].sort());
    for (const [name, value] of Object.entries(environment)) {
      expect(requiredVariable(value), name).toBe(name);
    }
  });

  it('logs every Switchyard process into NATS as its role’s user, with that user’s password', () => {
    const users = shippedNatsUsers();
    let logins = 0;
    for (const [name, service] of projectServices) {
      const [entry] = splitCommand(service.command);
      const role = roleOfEntry(entry);
      const environment = service.environment ?? {};
      if (role === undefined) {
        expect(environment['NATS_USER'], name).toBeUndefined();
        continue;
      }
      logins += 1;
      expect(environment['NATS_USER'], name).toBe(serviceUserName(role));
      expect(requiredVariable(environment['NATS_PASSWORD']), name).toBe(
        users.get(serviceUserName(role)),
      );
    }
    expect(logins).toBe(projectServices.length - 1);
    expect(services['worker-openai']?.environment?.['NATS_USER']).toBe('switchyard-worker');
    expect(services['admin']?.environment?.['NATS_USER']).toBe('switchyard-admin');
  });

  it('runs Redis with a password from a required variable, and gives a REDIS_URL with it to the services that use Redis only', () => {
    const redis = must(services['redis'], 'the redis service');
    expect(redis.command?.join(' ')).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(requiredVariable(redis.environment?.['REDIS_PASSWORD'])).toBe('REDIS_PASSWORD');
    expect(requiredVariable(redis.environment?.['REDISCLI_AUTH'])).toBe('REDIS_PASSWORD');
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const [name, service] of projectServices) {
      // The batch runner uses NATS only: no Redis password, no provider key, no Redis to wait for.
      if (name === 'batch') {
        const environment = environmentOf(service);
        expect(Object.values(environment).join(' ')).not.toContain(secrets['REDIS_PASSWORD']);
        expect(Object.keys(environment).filter((v) => v.endsWith('_API_KEY'))).toEqual([]);
        expect(Object.keys(service.depends_on ?? {})).toEqual(['nats']);
        continue;
      }
      expect(environmentOf(service)['REDIS_URL'], name).toBe(
        `redis://:${secrets['REDIS_PASSWORD']}@redis:6379`,
      );
    }
    expect(config.switchyard.redis.url).toBe(`redis://:${secrets['REDIS_PASSWORD']}@redis:6379`);
  });

  it('requires Grafana’s admin password, and lists every required variable in .env.example without a value', () => {
    const grafana = must(services['grafana'], 'the grafana service');
    expect(requiredVariable(grafana.environment?.['GF_SECURITY_ADMIN_PASSWORD'])).toBe(
      'GRAFANA_ADMIN_PASSWORD',
    );
    const example = readRepoFile('deploy/.env.example');
    const listed = [...example.matchAll(/^(\w+)=(.*)$/gm)];
    expect(listed.map(([, name]) => name).sort()).toEqual([...requiredVariables].sort());
    for (const [, name, value] of listed) expect(value, `${name} has a value`).toBe('');
    const generator = /^# +for v in ([\s\S]+?); do/m.exec(example)?.[1] ?? '';
    expect(
      generator
        .replace(/[#\\\n]/g, ' ')
        .split(/\s+/)
        .filter(Boolean)
        .sort(),
    ).toEqual([...requiredVariables].sort());
    expect(example).toContain('openssl rand -hex 32');
    expect(readRepoFile('.gitignore').split('\n')).toContain('.env');
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
      if (entry === 'cli') continue;
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
