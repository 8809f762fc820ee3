import { NoRespondersError, type NatsConnection } from '@nats-io/nats-core';
import {
  Svcm,
  type Endpoint,
  type Service,
  type ServiceInfo,
  type ServiceMsg,
  type ServiceStats,
} from '@nats-io/services';

/** A request an endpoint received: a NATS message with `respond` and `respondError`. */
export type { ServiceMsg };

/** A request-reply endpoint of a service, besides its `status` endpoint. */
export interface ServiceEndpoint {
  /** The endpoint's name (`[A-Za-z0-9_-]+`), as `nats micro info` shows it. */
  name: string;
  /** The subject it answers (wildcards allowed). */
  subject: string;
  /** The queue group in which the replicas of the service share its requests. */
  queue: string;
  /**
   * Called for each request; answers it with `msg.respond` (once, or once per message of a
   * streamed answer) or `msg.respondError`. Must not throw.
   */
  handler: (msg: ServiceMsg) => void;
  /** The endpoint's live numbers, returned as its `data` in `$SRV.STATS`. */
  stats?: () => unknown;
}

/** What a process says about itself on `$SRV.PING|INFO|STATS`. */
export interface ServiceRegistration {
  /** The service name, shared by every replica (`switchyard-worker`): `[A-Za-z0-9_-]+`. */
  name: string;
  /** A semver version (`0.1.0`). */
  version: string;
  description?: string;
  /** Fixed facts about this replica (`provider: openai`), shown by `$SRV.INFO`. */
  metadata?: Record<string, string>;
  /** The replica's live numbers (in-flight jobs…), returned as the `data` of its `status` endpoint in `$SRV.STATS`. */
  stats?: () => unknown;
  /** Request-reply endpoints the service answers besides `status`. */
  endpoints?: readonly ServiceEndpoint[];
}

/** A registered process. */
export interface RegisteredService {
  /** The unique id of this replica, as `$SRV.PING` reports it. */
  readonly id: string;
  /**
   * Withdraws it from discovery (drains its subscriptions). Resolves after at most
   * `timeoutMs` (default 1 000) even when the server is gone and the drain cannot finish.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** The name of the endpoint whose stats `data` carries {@link ServiceRegistration.stats}. */
export const statusEndpointName = 'status';

/**
 * Makes this process discoverable with the NATS micro-services protocol (`nats micro ls`,
 * `$SRV.PING|INFO|STATS[.<name>[.<id>]]`). The service has the endpoint `status`, on
 * `$SY.<name>.<id>.status` (no queue group, so each replica answers for itself): a request
 * there, and the endpoint's `data` in `$SRV.STATS`, return `stats()`; and each of
 * `endpoints`, with its own `data`.
 */
export async function registerService(
  nc: NatsConnection,
  registration: ServiceRegistration,
): Promise<RegisteredService> {
  const stats = registration.stats ?? (() => null);
  const endpoints = registration.endpoints ?? [];
  const endpointStats = (endpoint: Endpoint): unknown => {
    const { name } = endpoint as Endpoint & { name?: string };
    const own = endpoints.find((e) => e.name === name);
    return own === undefined ? stats() : (own.stats?.() ?? null);
  };
  const service: Service = await new Svcm(nc).add({
    name: registration.name,
    version: registration.version,
    description: registration.description ?? '',
    metadata: registration.metadata ?? {},
    queue: '',
    statsHandler: (endpoint) => Promise.resolve(endpointStats(endpoint)),
  });
  const { id } = service.info();
  service.addEndpoint(statusEndpointName, {
    subject: `$SY.${registration.name}.${id}.status`,
    handler: (error, msg) => {
      if (error === null) msg.respond(JSON.stringify(stats() ?? null));
    },
  });
  for (const endpoint of endpoints) {
    service.addEndpoint(endpoint.name, {
      subject: endpoint.subject,
      queue: endpoint.queue,
      handler: (error, msg) => {
        if (error === null) endpoint.handler(msg);
      },
    });
  }
  await nc.flush();
  return {
    id,
    async stop({ timeoutMs = 1_000 } = {}) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([service.stop().then(() => undefined), timedOut]);
      clearTimeout(timer);
    },
  };
}

/** One replica of a service as discovery found it: its INFO and its STATS. */
export interface DiscoveredService {
  info: ServiceInfo;
  stats?: ServiceStats;
  /** The `data` of its `status` endpoint: what its `stats()` returned. */
  status?: unknown;
}

/**
 * Every replica answering `$SRV.INFO[.<name>]` within `timeoutMs`, with its `$SRV.STATS`.
 * Replicas are matched by id; one that answered INFO but not STATS has no `stats`.
 */
export async function discoverServices(
  nc: NatsConnection,
  options: { name?: string; timeoutMs?: number } = {},
): Promise<DiscoveredService[]> {
  const client = new Svcm(nc).client({ strategy: 'timer', maxWait: options.timeoutMs ?? 1_000 });
  const [infos, stats] = await Promise.all([
    collect(client.info(options.name)),
    collect(client.stats(options.name)),
  ]);
  return infos
    .map((info) => {
      const own = stats.find((s) => s.id === info.id);
      const status = own?.endpoints?.find((e) => e.name === statusEndpointName)?.data;
      return { info, ...(own === undefined ? {} : { stats: own }), status };
    })
    .sort((a, b) => a.info.name.localeCompare(b.info.name) || a.info.id.localeCompare(b.info.id));
}

function isNoResponders(error: unknown): boolean {
  return (
    error instanceof NoRespondersError ||
    (error instanceof Error && error.cause instanceof NoRespondersError)
  );
}

/** Every answer, or none when no service listens (NATS answers "no responders" at once). */
async function collect<T>(answers: Promise<AsyncIterable<T>>): Promise<T[]> {
  const items: T[] = [];
  try {
    for await (const item of await answers) items.push(item);
  } catch (error) {
    if (!isNoResponders(error)) throw error;
  }
  return items;
}
