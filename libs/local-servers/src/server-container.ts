/** How to run one server image as a Docker container. */
export interface ServerContainerSpec {
  image: string;
  command: string[];
  /** The server's port inside the container. */
  port: number;
  /** A line the server logs once it accepts clients. */
  readyLog: RegExp;
  /** Scheme of the URL clients use: `nats`, `redis`. */
  scheme: string;
}

/** The NATS container: JetStream on, client port 4222. */
export const natsContainer: ServerContainerSpec = {
  image: 'nats:2.10-alpine',
  command: ['nats-server', '-js'],
  port: 4222,
  readyLog: /Server is ready/,
  scheme: 'nats',
};

/** The Redis container: no persistence, port 6379. */
export const redisContainer: ServerContainerSpec = {
  image: 'redis:7-alpine',
  command: ['redis-server', '--save', '', '--appendonly', 'no'],
  port: 6379,
  readyLog: /Ready to accept connections/,
  scheme: 'redis',
};

/** A server running in a container started by {@link startServerContainer}. */
export interface ServerContainer {
  /** Where clients connect, e.g. `nats://localhost:32771`. */
  url: string;
  /** Stops and removes the container. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface ServerContainerOptions {
  /**
   * Publish the server on this port of the Docker host (so clients find it where a config
   * says); unset: a free port Docker picks.
   */
  hostPort?: number;
}

/**
 * Starts the container with testcontainers (loaded only now, so that programs that never
 * need Docker never load it) and resolves once the server logs that it is ready. Rejects
 * when no Docker engine answers or the image cannot be pulled.
 */
export async function startServerContainer(
  spec: ServerContainerSpec,
  options: ServerContainerOptions = {},
): Promise<ServerContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(spec.image)
    .withCommand(spec.command)
    .withExposedPorts(
      options.hostPort === undefined ? spec.port : { container: spec.port, host: options.hostPort },
    )
    .withWaitStrategy(Wait.forLogMessage(spec.readyLog))
    .start();
  let stopping: Promise<void> | undefined;
  return {
    url: `${spec.scheme}://${container.getHost()}:${container.getMappedPort(spec.port)}`,
    stop: () => (stopping ??= container.stop().then(() => undefined)),
  };
}

/** Resolves true when testcontainers finds a Docker engine that answers. */
export async function isDockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
