export { startNatsServer, type NatsServerOptions } from './nats-server';
export { startRedisServer, type RedisServerOptions } from './redis-server';
export type { LocalServer } from './local-server';
export { findFreePort, isPortOpen, waitForPort } from './ports';
export { isBinaryOnPath } from './binary-on-path';
export { isNatsReachable, isRedisReachable } from './reachability';
export {
  formatServerUrl,
  loopbackFor,
  parseServerAddress,
  type ServerAddress,
} from './server-address';
export {
  isDockerAvailable,
  natsContainer,
  redisContainer,
  startServerContainer,
  type ServerContainer,
  type ServerContainerOptions,
  type ServerContainerSpec,
} from './server-container';
export {
  startNatsCluster,
  type NatsCluster,
  type NatsClusterNode,
  type NatsClusterOptions,
} from './nats-cluster';
