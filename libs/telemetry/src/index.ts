export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { redactText, redactValue, REDACTED } from './redact';
export {
  PROMETHEUS_CONTENT_TYPE,
  createMetrics,
  type Metrics,
  type MetricsOptions,
} from './metrics';
export { serveMetrics, type MetricsServer } from './metrics-server';
export { failSpan, inSpan } from './in-span';
export { TraceAttributes } from './trace-attributes';
export { startTracing, tracer, tracingRequested, type Tracing } from './tracing';
export { PinoNestLogger } from './nest-logger';
