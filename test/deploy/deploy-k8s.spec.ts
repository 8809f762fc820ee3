import { modelConsumerName, streamNames, tenantConsumerName } from '@switchyard/contracts';
import { serviceUserName } from '@switchyard/nats-auth';
import { describe, expect, it } from 'vitest';
import {
  checkArgs,
  entrypointArms,
  filesUnder,
  isAllowedImage,
  listenPort,
  loadDeployConfig,
  metricsPort,
  must,
  providersByModel,
  readRepoFile,
  repoPathExists,
  roleOfEntry,
  shippedNatsUsers,
  splitCommand,
  yamlDocuments,
  yamlFile,
} from './deploy-repo.test-support';
import {
  admits,
  connects,
  letsOut,
  type NetworkPolicy,
  type Pod,
} from './network-policy.test-support';

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface SecretRef {
  name: string;
  key: string;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: SecretRef };
}
interface Container {
  image: string;
  args: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: Container[] };
    };
    scaleTargetRef?: { name: string };
    triggers?: { type: string; metadata: Record<string, string> }[];
    ports?: { port: number; targetPort: string | number }[];
  };
}

const base = 'deploy/k8s/base';
const kustomization = yamlFile<{
  namespace: string;
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
const namespace = kustomization.namespace;
const envOf = (m: Manifest, name: string) =>
  containerOf(m).env?.find((variable) => variable.name === name);

interface NatsValues {
  config: {
    monitor: { port: number };
    cluster: { replicas: number };
    merge: Record<string, unknown>;
  };
  container: { env: Record<string, { valueFrom: { secretKeyRef: SecretRef } }> };
  natsBox: { enabled: boolean };
}
const natsValues = yamlFile<NatsValues>('deploy/k8s/nats-values.yaml');
/** The Secret the NATS servers and the Deployments read the NATS passwords from. */
const natsUsersSecret = 'switchyard-nats-users';

/**
 * The labels of the charts' pods, installed as releases `nats` and `redis` (nats-io/k8s chart
 * 1.x `nats.selectorLabels`; Bitnami's `common.labels.matchLabels` plus the primary's component).
 */
const natsPod: Pod = {
  namespace,
  labels: {
    'app.kubernetes.io/name': 'nats',
    'app.kubernetes.io/instance': 'nats',
    'app.kubernetes.io/component': 'nats',
  },
};
const redisPod: Pod = {
  namespace,
  labels: {
    'app.kubernetes.io/name': 'redis',
    'app.kubernetes.io/instance': 'redis',
    'app.kubernetes.io/component': 'master',
  },
};
const podOf = (m: Manifest): Pod => ({ namespace, labels: m.spec.template?.metadata.labels ?? {} });

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
    expect(new Set(started)).toEqual(
      new Set(['gateway', 'worker', 'fallback', 'metering', 'batch']),
    );
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
        served
          .flatMap((model) => [
            modelConsumerName(model),
            tenantConsumerName('default', model, 'batch'),
          ])
          .sort(),
      );
      for (const { type, metadata } of triggers) {
        expect(type).toBe('nats-jetstream');
        expect(metadata['stream']).toBe(jobs);
        expect(metadata['account']).toBe('$G');
        expect(metadata['natsServerMonitoringEndpoint']).toBe(
          `nats-headless.${namespace}.svc.cluster.local:${natsValues.config.monitor.port}`,
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
      SWITCHYARD_MASTER_KEY: 'test',
    };
    const compose = providersByModel(loadDeployConfig('deploy/config/config.yaml', env));
    expect(byModel).toEqual(compose);
  });

  it('runs NATS in the namespace with the generated users: auth.conf included, every password from the Secret', () => {
    expect(natsValues.config.merge['$include']).toBe('auth.conf');
    const setFile = `--set-file 'configMap.merge.data.auth\\.conf=deploy/nats/auth.conf'`;
    expect(readRepoFile('deploy/k8s/nats-values.yaml')).toContain(setFile);
    expect(readRepoFile('deploy/README.md')).toContain(setFile);
    const variables = [...shippedNatsUsers().values()];
    expect(Object.keys(natsValues.container.env).sort()).toEqual([...variables].sort());
    for (const [name, { valueFrom }] of Object.entries(natsValues.container.env)) {
      expect(valueFrom.secretKeyRef, name).toEqual({ name: natsUsersSecret, key: name });
    }
    expect(natsValues.natsBox.enabled).toBe(false);
    const literals = kustomization.configMapGenerator.flatMap(
      (generator) => generator.literals ?? [],
    );
    expect(literals).toContain(`NATS_URL=nats://nats.${namespace}.svc.cluster.local:4222`);
  });

  it('logs every Deployment into NATS as its role’s user, with that user’s password from the Secret', () => {
    const users = shippedNatsUsers();
    for (const m of deployments) {
      const role = roleOfEntry(containerOf(m).args[0] ?? '');
      expect(role, m.metadata.name).toBeDefined();
      const user = serviceUserName(role ?? 'admin');
      expect(envOf(m, 'NATS_USER')?.value, m.metadata.name).toBe(user);
      expect(envOf(m, 'NATS_PASSWORD')?.valueFrom?.secretKeyRef, m.metadata.name).toEqual({
        name: natsUsersSecret,
        key: users.get(user),
      });
    }
    expect(envOf(named('Deployment', 'worker-gemini'), 'NATS_USER')?.value).toBe(
      'switchyard-worker',
    );
  });

  it('requires the master key: the config reads it from the gateway’s Secret, and nothing runs --insecure', () => {
    expect(config.general.masterKey).toBe('test');
    expect(envOf(named('Deployment', 'gateway'), 'SWITCHYARD_MASTER_KEY')?.valueFrom).toEqual({
      secretKeyRef: { name: 'switchyard-master-key', key: 'SWITCHYARD_MASTER_KEY' },
    });
    for (const m of deployments) expect(containerOf(m).args).not.toContain('--insecure');
  });

  it('lets only Switchyard’s pods reach NATS and Redis (the batch runner NATS only), Prometheus the metrics, KEDA the NATS monitor, anyone the gateway', () => {
    const policies = manifests.filter(
      (m) => m.kind === 'NetworkPolicy',
    ) as unknown as NetworkPolicy[];
    const stranger: Pod = { namespace, labels: { 'app.kubernetes.io/name': 'debug-shell' } };
    const outsider: Pod = { namespace: 'default', labels: {} };
    const keda: Pod = { namespace: 'keda', labels: {} };
    const prometheus: Pod = { namespace: 'monitoring', labels: {} };
    expect(admits(policies, stranger, 4000, stranger)).toBe(false);
    expect(admits([], stranger, 4000, stranger)).toBe(true);
    const gateway = named('Deployment', 'gateway');
    const gatewayPort = listenPort('gateway', containerOf(gateway).args.slice(1)) ?? 0;
    for (const m of deployments) {
      const pod = podOf(m);
      const name = m.metadata.name;
      expect(connects(policies, pod, 4222, natsPod), `${name} → NATS`).toBe(true);
      // The batch runner uses NATS only: it may not reach Redis, nor anything but NATS and DNS.
      const batch = m === named('Deployment', 'batch');
      expect(connects(policies, pod, 6379, redisPod), `${name} → Redis`).toBe(!batch);
      expect(connects(policies, pod, gatewayPort, podOf(gateway)), `${name} → gateway`).toBe(
        !batch,
      );
      expect(letsOut(policies, pod, 443, { namespace: 'internet', labels: {} })).toBe(!batch);
      expect(letsOut(policies, pod, 53, { namespace: 'kube-system', labels: {} })).toBe(true);
      expect(admits(policies, pod, gatewayPort, outsider), `anyone → ${name}`).toBe(m === gateway);
      const [entry, args] = splitCommand(containerOf(m).args);
      const metrics = metricsPort(entry, args);
      if (metrics !== undefined) {
        expect(admits(policies, pod, metrics, prometheus), `Prometheus → ${name}`).toBe(true);
        expect(admits(policies, pod, metrics, outsider), `anyone → ${name}`).toBe(false);
      }
    }
    for (const source of [stranger, outsider, keda, prometheus, natsPod]) {
      expect(admits(policies, natsPod, 4222, source)).toBe(false);
      expect(admits(policies, redisPod, 6379, source)).toBe(false);
    }
    const monitor = natsValues.config.monitor.port;
    expect(admits(policies, natsPod, monitor, keda)).toBe(true);
    expect(admits(policies, natsPod, monitor, prometheus)).toBe(true);
    expect(admits(policies, natsPod, monitor, outsider)).toBe(false);
    expect(admits(policies, natsPod, 6222, natsPod)).toBe(true);
    expect(admits(policies, natsPod, 6222, podOf(gateway))).toBe(false);
    expect(admits(policies, podOf(gateway), gatewayPort, outsider)).toBe(true);
    const redisValues = yamlFile<{ networkPolicy: { enabled: boolean } }>(
      'deploy/k8s/redis-values.yaml',
    );
    expect(redisValues.networkPolicy.enabled).toBe(false);
  });

  it('lists every Secret the manifests read, empty, in a *.secret.example.yaml', () => {
    const examples = new Map<string, Record<string, string>>();
    for (const path of filesUnder('deploy/k8s').filter((p) => p.endsWith('.secret.example.yaml'))) {
      expect(kustomization.resources, path).not.toContain(path.split('/').at(-1));
      for (const doc of yamlDocuments(path)) {
        const secret = doc as {
          kind: string;
          metadata: { name: string };
          stringData: Record<string, string>;
        };
        expect(secret.kind).toBe('Secret');
        for (const value of Object.values(secret.stringData)) expect(value, path).toBe('');
        examples.set(secret.metadata.name, secret.stringData);
      }
    }
    const refs = [
      ...deployments.flatMap((m) =>
        (containerOf(m).env ?? []).flatMap((variable) => variable.valueFrom?.secretKeyRef ?? []),
      ),
      ...Object.values(natsValues.container.env).map(({ valueFrom }) => valueFrom.secretKeyRef),
    ];
    expect(refs.length).toBeGreaterThan(deployments.length * 2);
    const redisAuth = yamlFile<{ auth: { enabled: boolean } }>('deploy/k8s/redis-values.yaml');
    for (const { name, key } of refs) {
      if (name === 'redis') {
        // Made by the Redis chart (auth.enabled), see redis-values.yaml.
        expect(key).toBe('redis-password');
        expect(redisAuth.auth.enabled).toBe(true);
        continue;
      }
      expect(Object.keys(examples.get(name) ?? {}), `${name}.${key}`).toContain(key);
    }
  });
});
