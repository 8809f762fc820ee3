import {
  natsContainer,
  redisContainer,
  startServerContainer,
  type ServerContainerSpec,
} from '@switchyard/local-servers';
import type { TestServer } from './test-server';

export { natsContainer, redisContainer };

/** Starts the container on a port Docker picks; `stop()` stops and removes it. */
export async function startContainer(spec: ServerContainerSpec): Promise<TestServer> {
  const container = await startServerContainer(spec);
  return { url: container.url, source: 'container', stop: () => container.stop() };
}
