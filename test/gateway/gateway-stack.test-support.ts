import { parseConfig } from '@switchyard/config';
import { startGateway, type RunningGateway } from '@switchyard/gateway';
import type { VirtualKeyStore } from '@switchyard/keys';
import {
  createInstallation,
  quietLogger,
  startPipeline,
  startPipelineServers,
  type Installation,
  type InstallationSpec,
  type PipelineProvider,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';

/** The master key of the gateway tests (a test value, not a secret). */
export const gatewayMasterKey = 'sk-gateway-spec-master';

/** Servers, workers, fallback router and a gateway in front of them. */
export interface GatewayStack {
  servers: PipelineServers;
  install: Installation;
  pipeline: RunningPipeline;
  gateway: RunningGateway;
  keys: VirtualKeyStore;
  stop(): Promise<void>;
}

/**
 * Starts the pipeline harness (nats-server, redis-server, provider-sim, worker pools and the
 * fallback router in this process) for `spec`, with a master key, and the gateway on a free port.
 */
export async function startGatewayStack(
  label: string,
  spec: InstallationSpec,
  providers: readonly PipelineProvider[],
): Promise<GatewayStack> {
  const servers = await startPipelineServers();
  const base = createInstallation(servers, label, spec);
  const yaml = `${base.yaml}\ngeneral_settings: { master_key: ${gatewayMasterKey} }`;
  const install: Installation = { ...base, yaml, config: parseConfig(yaml, { env: {} }).config };
  const pipeline = await startPipeline(servers, install, providers);
  const { keys } = pipeline;
  const gateway = await startGateway({
    config: install.config,
    nc: pipeline.nc,
    redis: pipeline.redis,
    keys,
    port: 0,
    logger: quietLogger,
  });
  return {
    servers,
    install,
    pipeline,
    gateway,
    keys,
    async stop() {
      await gateway.close(1_000);
      await pipeline.stop();
      await servers.stop();
    },
  };
}

/** The events of an SSE body: the `data:` payloads, in order. */
export function sseEvents(body: string): string[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.length > 0)
    .map((frame) => {
      if (!frame.startsWith('data: '))
        throw new Error(`not an SSE data frame: ${JSON.stringify(frame)}`);
      return frame.slice('data: '.length);
    });
}
