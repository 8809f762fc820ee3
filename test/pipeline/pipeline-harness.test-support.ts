import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';
import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import { startFallbackRouter, type FallbackRouter } from '@switchyard/fallback';
import { closeNats, connectNats } from '@switchyard/messaging';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { startWorker, type RunningWorker } from '@switchyard/worker';
import { adapterFor, completeChat } from '@switchyard/providers';
import { Redis } from 'ioredis';
import { simDeployment } from '../providers/conformance-deployments';
import { testServiceAccount, vertexCredentialsParam } from '../providers/vertex-service-account';

/** The logger of every in-process service in the pipeline tests. */
export const quietLogger = createLogger({ name: 'pipeline-spec', level: 'silent' });

/** The providers the pipeline tests run deployments on. */
export type PipelineProvider =
  'openai' | 'anthropic' | 'gemini' | 'cohere' | 'bedrock' | 'vertex_ai';

/**
 * The `litellm_params` flow entries of a deployment of `provider` on the simulator deployment
 * `simName`: its model (`model`, else the provider's default) and credentials (an API key;
 * Bedrock's AWS keys, signed with SigV4 and checked by the simulator against sim-secret; for
 * Vertex AI a throwaway service account, its JWT exchanged at the simulator's token endpoint).
 */
const providerParams: Record<
  PipelineProvider,
  (simUrl: string, simName: string, model?: string) => string
> = {
  openai: (sim, name, model = 'gpt-4o-mini') =>
    `model: openai/${model}, api_base: "${sim}/d/${name}/v1", api_key: sim-key`,
  anthropic: (sim, name, model = 'claude-3-5-haiku-20241022') =>
    `model: anthropic/${model}, api_base: "${sim}/d/${name}", api_key: sim-key`,
  gemini: (sim, name, model = 'gemini-2.0-flash') =>
    `model: gemini/${model}, api_base: "${sim}/d/${name}", api_key: sim-key`,
  cohere: (sim, name, model = 'command-a-03-2025') =>
    `model: cohere/${model}, api_base: "${sim}/d/${name}/cohere", api_key: sim-key`,
  bedrock: (sim, name, model = 'anthropic.claude-3-5-haiku-20241022-v1:0') =>
    [
      `model: bedrock/${model}`,
      `aws_bedrock_runtime_endpoint: "${sim}/d/${name}/bedrock"`,
      'aws_access_key_id: AKIDSIMULATOR, aws_secret_access_key: sim-secret',
      'aws_region_name: us-east-1',
    ].join(', '),
  vertex_ai: (sim, name, model = 'gemini-2.0-flash') =>
    [
      `model: vertex_ai/${model}`,
      'vertex_project: sim-project, vertex_location: us-central1',
      `api_base: "${sim}/d/${name}/vertex"`,
      vertexCredentialsParam(testServiceAccount(sim).credentials),
    ].join(', '),
};

/** The servers of one suite: nats-server, redis-server and the provider simulator. */
export interface PipelineServers {
  nats: TestServer;
  redis: TestServer;
  sim: ProviderSimHandle;
  stop(): Promise<void>;
}

/** Starts a suite's own nats-server, redis-server and provider simulator. */
export async function startPipelineServers(): Promise<PipelineServers> {
  const [nats, redis, sim] = await Promise.all([
    startTestNats(),
    startTestRedis(),
    startProviderSim({ port: 0 }),
  ]);
  return {
    nats,
    redis,
    sim,
    async stop() {
      await Promise.all([nats.stop(), redis.stop(), sim.stop()]);
    },
  };
}

/** One deployment of a logical model: its provider and extra `litellm_params` entries. */
export interface PipelineDeployment {
  provider: PipelineProvider;
  /** The provider's model. @defaultValue each provider's chat model in providerParams */
  model?: string;
  /** Extra `litellm_params` as YAML flow entries, e.g. `rpm: 60, timeout: 3`. */
  params?: string;
  /** `model_info` as YAML flow entries, e.g. `max_input_tokens: 5`. */
  modelInfo?: string;
}

/** What an installation's config holds besides the servers. */
export interface InstallationSpec {
  /** Logical model → its deployments (a provider name alone is one deployment). */
  models: Readonly<Record<string, PipelineProvider | readonly PipelineDeployment[]>>;
  /** The `router_settings` mapping in YAML flow style. */
  router?: string;
  /** The `switchyard.worker` mapping in YAML flow style. */
  worker?: string;
  /** The `switchyard.tenants` mapping in YAML flow style. */
  tenants?: string;
  /** `switchyard.nats.replicas` (stream replicas; needs a cluster of that size). @defaultValue 1 */
  replicas?: number;
  /** The `switchyard.batches` mapping in YAML flow style. */
  batches?: string;
  /** More `switchyard.nats` entries in YAML flow style, e.g. `duplicate_window_seconds: 1`. */
  nats?: string;
}

/** A config of its own (subject root, stream prefix, Redis keys) on the suite's servers. */
export interface Installation {
  prefix: string;
  yaml: string;
  config: SwitchyardConfig;
  /** The simulator deployment name of a model's `index`-th deployment. */
  simName(model: string, index?: number): string;
}

/**
 * Builds an installation's config through the real loader: each deployment points at its own
 * simulator deployment (`/d/<prefix>-<model>[-<index>]`), so faults and stats touch no other test.
 */
export function createInstallation(
  servers: PipelineServers,
  label: string,
  spec: InstallationSpec,
): Installation {
  const prefix = uniquePrefix(label);
  const simName = (model: string, index = 0) =>
    index === 0 ? `${prefix}-${model}` : `${prefix}-${model}-${index}`;
  const deploymentLines = Object.entries(spec.models).flatMap(([model, deployments]) =>
    (typeof deployments === 'string' ? [{ provider: deployments }] : deployments).flatMap(
      ({ provider, model: name, params, modelInfo }: PipelineDeployment, index) => [
        `  - model_name: ${model}`,
        `    litellm_params: { ${providerParams[provider](servers.sim.url, simName(model, index), name)}${params === undefined ? '' : `, ${params}`} }`,
        ...(modelInfo === undefined ? [] : [`    model_info: { ${modelInfo} }`]),
      ],
    ),
  );
  const yaml = [
    'model_list:',
    ...deploymentLines,
    `router_settings: ${spec.router ?? '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1 }'}`,
    'switchyard:',
    `  nats: { servers: "${servers.nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory${spec.replicas === undefined ? '' : `, replicas: ${spec.replicas}`}${spec.nats === undefined ? '' : `, ${spec.nats}`} }`,
    `  redis: { url: "${servers.redis.url}", key_prefix: "${prefix}:" }`,
    `  worker: ${spec.worker ?? '{ concurrency: 8, shutdown_grace_seconds: 1 }'}`,
    ...(spec.tenants === undefined ? [] : [`  tenants: ${spec.tenants}`]),
    ...(spec.batches === undefined ? [] : [`  batches: ${spec.batches}`]),
  ].join('\n');
  const { config } = parseConfig(yaml, { env: {} });
  return { prefix, yaml, config, simName };
}

/** The services of an installation running in this process, and a client for it. */
export interface RunningPipeline {
  nc: NatsConnection;
  redis: Redis;
  /** The installation's key store; the workers read key budgets from its view. */
  keys: VirtualKeyStore;
  client: Switchyard;
  workers: RunningWorker[];
  router: FallbackRouter;
  /** Stops the services and closes the connections. */
  stop(): Promise<void>;
}

/**
 * Starts, in this process, a worker pool for each of `providers` and the fallback router of
 * `install`, and a client (no `models` option: the client sends any model, as a raw publisher
 * would).
 */
export async function startPipeline(
  servers: PipelineServers,
  install: Installation,
  providers: readonly PipelineProvider[],
  clientOptions: { timeoutMs?: number } = {},
): Promise<RunningPipeline> {
  const nc = await connectNats({
    servers: install.config.switchyard.nats.servers,
    name: `pipeline-${install.prefix}`,
    logger: quietLogger,
  });
  const redis = new Redis(servers.redis.url);
  const keys = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(install.config, redis));
  const workers: RunningWorker[] = [];
  for (const provider of providers) {
    workers.push(
      await startWorker({ config: install.config, provider, nc, redis, keys, logger: quietLogger }),
    );
  }
  const router = await startFallbackRouter({ config: install.config, nc, logger: quietLogger });
  const client = new Switchyard({
    nc,
    subjectRoot: install.prefix,
    streamPrefix: install.prefix,
    timeoutMs: clientOptions.timeoutMs ?? 30_000,
  });
  return {
    nc,
    redis,
    keys,
    client,
    workers,
    router,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop(0)));
      await router.stop({ graceMs: 1_000 });
      await keys.close();
      redis.disconnect();
      await closeNats(nc);
    },
  };
}

/** The question every pipeline test asks, and the simulator's deterministic answer's start. */
export const question = 'Where is the blue train going?';

/** The chat messages of {@link question}. */
export const questionMessages = [{ role: 'user' as const, content: question }];

/** Polls `check` every 25 ms until it is true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The simulator's deterministic answer to {@link question} from `provider`, asked directly
 * (no queue) on a throwaway simulator deployment, so no test's stats change.
 */
export async function directAnswer(
  servers: PipelineServers,
  provider: PipelineProvider,
): Promise<string> {
  const { deployment } = simDeployment(provider, servers.sim.url);
  const completion = await completeChat(
    adapterFor(provider),
    { messages: questionMessages },
    { deployment, dropParams: false },
  );
  const content = completion.choices[0]?.message.content;
  if (typeof content !== 'string') throw new Error(`no text answer from ${provider}`);
  return content;
}
