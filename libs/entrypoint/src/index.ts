export { loggerFromEnv } from './logger-from-env';
export { describeFatalError, runMain } from './run-main';
export { stopSignal } from './stop-signal';
export { UserError } from './user-error';
export { portOption } from './port-option';
export {
  connectRedis,
  redisConnectTimeoutMs,
  redisOptions,
  type ConnectRedisOptions,
} from './redis-connection';
export { serviceNodeFlags } from './service-node-flags';
