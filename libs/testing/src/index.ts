export { builtServiceMain, type BuiltService } from './built-service';
export { startTestNats } from './test-nats';
export { startTestRedis } from './test-redis';
export type { TestServer, TestServerSource } from './test-server';
export type { ServerSelection } from './server-selection';
export { uniquePrefix } from './unique-prefix';
