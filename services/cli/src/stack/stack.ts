import type { Logger } from '@switchyard/telemetry';
import type { LogRelay } from './log-relay';
import {
  describeExit,
  spawnService,
  type ExitStatus,
  type ServiceProcess,
  type ServiceRole,
  type ServiceSpec,
} from './service-process';

/**
 * The order the stack stops in: the edge first, so nothing new comes in (the gateway, then the
 * batch runner, which submits jobs; its batches resume when it runs again); the simulator last.
 */
export const stopOrder: readonly ServiceRole[] = [
  'gateway',
  'batch',
  'worker',
  'fallback',
  'metering',
  'simulator',
];

/** A service that exited while the stack was running. */
export interface Crash {
  service: ServiceProcess;
  status: ExitStatus;
}

/** Something `up` started and stops last: a nats-server, redis-server or container. */
export interface OwnedServer {
  name: string;
  stop(): Promise<void>;
}

/**
 * The processes `switchyard up` runs. Any service exiting before `stop()` is a crash:
 * `crashed` resolves with the first one. `stop()` stops services in `stopOrder` (services of
 * one role together), then the servers in the reverse order they were added.
 */
export class Stack {
  private readonly services: ServiceProcess[] = [];
  private readonly servers: OwnedServer[] = [];
  private stopping: Promise<void> | undefined;
  private reportCrash: (crash: Crash) => void = () => undefined;
  /** Resolves with the first service that exits on its own. */
  readonly crashed = new Promise<Crash>((resolve) => (this.reportCrash = resolve));

  constructor(
    private readonly options: {
      cwd: string;
      relay: LogRelay;
      log: Logger;
    },
  ) {}

  addServer(server: OwnedServer): void {
    this.servers.push(server);
  }

  /** Starts a service with `env` as its whole environment. */
  start(spec: ServiceSpec, env: Record<string, string | undefined>): ServiceProcess {
    const service = spawnService(spec, { ...this.options, env });
    this.services.push(service);
    this.options.log.info(
      { service: spec.name, childPid: service.pid },
      `started ${spec.name} (pid ${service.pid})`,
    );
    void service.exited.then((status) => {
      if (this.stopping === undefined) this.reportCrash({ service, status });
    });
    return service;
  }

  /** The services started so far, in start order. */
  list(): readonly ServiceProcess[] {
    return this.services;
  }

  /** Kills every service at once (SIGKILL): for a second Ctrl-C. */
  killNow(): void {
    for (const service of this.services) service.killNow();
  }

  stop(): Promise<void> {
    return (this.stopping ??= this.stopAll());
  }

  private async stopAll(): Promise<void> {
    const { log } = this.options;
    for (const role of stopOrder) {
      const group = this.services.filter((service) => service.spec.role === role);
      await Promise.all(
        group.map(async (service) => {
          const running = !service.hasExited();
          const status = await service.stop();
          if (running) log.info(`stopped ${service.spec.name} (${describeExit(status)})`);
        }),
      );
    }
    for (const server of [...this.servers].reverse()) {
      await server.stop();
      log.info(`stopped ${server.name}`);
    }
  }
}
