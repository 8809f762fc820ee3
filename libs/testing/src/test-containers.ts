import type { TestServer } from './test-server';

/** A server in a Docker container, as testcontainers describes it. */
interface ContainerSpec {
  image: string;
  command: string[];
  port: number;
  readyLog: RegExp;
  scheme: string;
}

/** The NATS container: JetStream on, client port 4222. */
export const natsContainer: ContainerSpec = {
  image: 'nats:2.10-alpine',
  command: ['nats-server', '-js'],
  port: 4222,
  readyLog: /Server is ready/,
  scheme: 'nats',
};

/** The Redis container: no persistence, port 6379. */
export const redisContainer: ContainerSpec = {
  image: 'redis:7-alpine',
  command: ['redis-server', '--save', '', '--appendonly', 'no'],
  port: 6379,
  readyLog: /Ready to accept connections/,
  scheme: 'redis',
};

/**
 * Starts the container with testcontainers, loaded only now so that suites that never need
 * Docker never load it. `stop()` stops and removes the container.
 */
export async function startContainer(spec: ContainerSpec): Promise<TestServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(spec.image)
    .withCommand(spec.command)
    .withExposedPorts(spec.port)
    .withWaitStrategy(Wait.forLogMessage(spec.readyLog))
    .start();
  let stopping: Promise<void> | undefined;
  return {
    url: `${spec.scheme}://${container.getHost()}:${container.getMappedPort(spec.port)}`,
    source: 'container',
    stop: () => (stopping ??= container.stop().then(() => undefined)),
  };
}
