export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { redactText, redactValue, REDACTED } from './redact';
