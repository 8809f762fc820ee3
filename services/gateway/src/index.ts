export { startGateway, type RunningGateway, type StartGatewayOptions } from './start-gateway';
export type { Caller, CallerKey, KeyVerifier } from './authenticate';
export { HttpLimits } from './http-limits';
export { SwitchyardHttpHeaders } from './job-headers';
