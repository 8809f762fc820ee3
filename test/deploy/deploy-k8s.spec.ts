import { modelConsumerName, streamNames } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import {
  checkArgs,
  entrypointArms,
  isAllowedImage,
  listenPort,
  loadDeployConfig,
  metricsPort,
  must,
  providersByModel,
  readRepoFile,
  repoPathExists,
  splitCommand,
  yamlDocuments,
  yamlFile,
} from './deploy-repo.test-support';

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  image: string;
  args: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[] };
    };
    scaleTargetRef?: { name: string };
    triggers?: { type: string; metadata: Record<string, string> }[];
    ports?: { port: number; targetPort: string | number }[];
  };
}

const base = 'deploy/k8s/base';
const kustomization = yamlFile<{
  resources: string[];
  images: { name: string; newTag?: string }[];
  configMapGenerator: { name: string; files?: string[]; literals?: string[] }[];
}>(`${base}/kustomization.yaml`);
const manifests = kustomization.resources.flatMap((file) =>
  yamlDocuments(`${base}/${file}`).map((doc) => doc as Manifest),
);
const find = (kind: string, name: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.name === name);
const named = (kind: string, name: string) => must(find(kind, name), `${kind} ${name}`);
const deployments = manifests.filter((m) => m.kind === 'Deployment');
const containerOf = (m: Manifest) =>
  must(m.spec.template?.spec.containers[0], `the container of ${m.metadata.name}`);
const config = loadDeployConfig(`${base}/config.yaml`, { SWITCHYARD_MASTER_KEY: 'test' });
const byModel = providersByModel(config);
const pools = [...new Set([...byModel.values()].flatMap((set) => [...set]))].sort();

describe('deploy/k8s', () => {
  it('lists resources that exist and pins the project image', () => {
    for (const file of kustomization.resources)
      expect(repoPathExists(`${base}/${file}`)).toBe(true);
    expect(kustomization.resources).not.toContain('provider-keys.secret.example.yaml');
    expect(kustomization.images.map((image) => image.name)).toEqual(['switchyard']);
    expect(kustomization.images[0]?.newTag).toMatch(/^\d+\.\d+\.\d+$/);
    for (const m of deployments) expect(isAllowedImage(containerOf(m).image)).toBe(true);
  });

  it('runs every process through an entry point with flags its main.ts accepts', () => {
    const arms = entrypointArms();
    const started = deployments.map((m) => containerOf(m).args[0]);
    expect(new Set(started)).toEqual(new Set(['gateway', 'worker', 'fallback', 'metering']));
    for (const m of deployments) {
      const [entry, args] = splitCommand(containerOf(m).args);
      expect(arms.has(entry)).toBe(true);
      expect(checkArgs(entry, args).problems).toEqual([]);
    }
  });

  it('gives every process the variables its config names', () => {
    const refs = [...readRepoFile(`${base}/config.yaml`).matchAll(/os\.environ\/(\w+)/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const m of deployments) {
      const names = (containerOf(m).env ?? []).map((variable) => variable.name);
      for (const [, variable] of refs) expect(names, m.metadata.name).toContain(variable);
    }
    expect(() => loadDeployConfig(`${base}/config.yaml`, {})).toThrow(/SWITCHYARD_MASTER_KEY/);
  });

  it('serves the gateway on the port it listens on, with probes on its health endpoints', () => {
    const gateway = containerOf(named('Deployment', 'gateway'));
    const port = listenPort('gateway', gateway.args.slice(1));
    expect(gateway.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(named('Service', 'gateway').spec.ports).toEqual([
      { name: 'http', port, targetPort: 'http' },
    ]);
    expect(gateway.livenessProbe?.httpGet).toEqual({ path: '/health/liveness', port: 'http' });
    expect(gateway.readinessProbe?.httpGet).toEqual({ path: '/health/readiness', port: 'http' });
    const controllers = readRepoFile('services/gateway/src/gateway.controllers.ts');
    expect(controllers).toContain(`@Get('health/liveness')`);
    expect(controllers).toContain(`@Get('health/readiness')`);
  });

  it('has Prometheus scrape the port each process serves /metrics on, and only that', () => {
    let scraped = 0;
    for (const m of deployments) {
      const container = containerOf(m);
      const [entry, args] = splitCommand(container.args);
      const port = entry === 'gateway' ? listenPort(entry, args) : metricsPort(entry, args);
      const annotations = m.spec.template?.metadata.annotations ?? {};
      if (port === undefined) {
        expect(annotations['prometheus.io/scrape'], m.metadata.name).toBeUndefined();
        continue;
      }
      scraped += 1;
      expect(annotations['prometheus.io/port'], m.metadata.name).toBe(String(port));
      expect(container.ports?.map((p) => p.containerPort)).toContain(port);
    }
    expect(scraped).toBeGreaterThanOrEqual(1 + pools.length);
  });

  it('has one worker Deployment, PDB and ScaledObject per provider pool', () => {
    expect(pools).toEqual(['anthropic', 'gemini', 'openai']);
    const workers = deployments.filter((m) => containerOf(m).args[0] === 'worker');
    const provider = (m: Manifest) =>
      checkArgs('worker', containerOf(m).args.slice(1)).values.get('provider');
    expect(workers.map(provider).sort()).toEqual(pools);
    for (const pool of pools) {
      const labels = named('Deployment', `worker-${pool}`).spec.selector?.matchLabels;
      expect(labels).toBeDefined();
      expect(named('PodDisruptionBudget', `worker-${pool}`).spec.selector?.matchLabels).toEqual(
        labels,
      );
      expect(named('ScaledObject', `worker-${pool}`).spec.scaleTargetRef?.name).toBe(
        `worker-${pool}`,
      );
    }
    expect(find('PodDisruptionBudget', 'gateway')).toBeDefined();
  });

  it('scales each pool on the consumers of the models it serves, as libs/contracts names them', () => {
    const natsValues = yamlFile<{
      config: { monitor: { port: number }; cluster: { replicas: number } };
    }>('deploy/k8s/nats-values.yaml');
    expect(natsValues.config.cluster.replicas).toBe(3);
    expect(config.switchyard.nats.replicas).toBe(3);
    const jobs = streamNames(config.switchyard.nats.streamPrefix || undefined).jobs;
    for (const pool of pools) {
      const served = [...byModel]
        .filter(([, providers]) => providers.has(pool))
        .map(([model]) => model);
      const triggers = named('ScaledObject', `worker-${pool}`).spec.triggers ?? [];
      expect(triggers.length).toBeGreaterThan(0);
      expect(triggers.map((t) => t.metadata['consumer']).sort()).toEqual(
        served.map(modelConsumerName).sort(),
      );
      for (const { type, metadata } of triggers) {
        expect(type).toBe('nats-jetstream');
        expect(metadata['stream']).toBe(jobs);
        expect(metadata['account']).toBe('$G');
        expect(metadata['natsServerMonitoringEndpoint']).toBe(
          `nats-headless.nats.svc.cluster.local:${natsValues.config.monitor.port}`,
        );
        expect(Number(metadata['lagThreshold'])).toBeGreaterThan(0);
      }
    }
  });

  it('deploys the same models on the same pools as the compose config', () => {
    const env = {
      OPENAI_API_BASE: 'http://x',
      ANTHROPIC_API_BASE: 'http://x',
      GEMINI_API_BASE: 'http://x',
    };
    const compose = providersByModel(loadDeployConfig('deploy/config/config.yaml', env));
    expect(byModel).toEqual(compose);
  });
});
