import type { BatchStore, FileStore } from '@switchyard/batches';
import type { SwitchyardConfig } from '@switchyard/config';
import type { Logger, Metrics } from '@switchyard/telemetry';
import type { Authenticator } from './authenticate';
import type { GatewayMetrics } from './gateway-metrics';
import type { InFlightRequests } from './in-flight-requests';
import type { ReadinessCheck } from './readiness';
import type { TenantClients } from './tenant-clients';

/** Everything the gateway's controllers share; one per running gateway. */
export interface GatewayContext {
  config: SwitchyardConfig;
  /** The model names a request may give, each with the logical model it means (see modelNames). */
  models: ReadonlyMap<string, string>;
  auth: Authenticator;
  clients: TenantClients;
  /** The Files API's files (`/v1/files`). */
  files: FileStore;
  /** The Batch API's batches (`/v1/batches`); the batch runner runs them. */
  batches: BatchStore;
  readiness: ReadinessCheck;
  metrics: Metrics;
  instruments: GatewayMetrics;
  inFlight: InFlightRequests;
  logger: Logger;
}

/** The Nest injection token of the {@link GatewayContext}. */
export const GATEWAY_CONTEXT = Symbol('switchyard.gateway.context');
