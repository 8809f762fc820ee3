import { isUrlWith } from './raw-scalars.schema';

/** Whether `value` is a NATS server as nats.js accepts it: `nats://host:4222`, `tls://…`, `host:4222`. */
export function isNatsServer(value: string): boolean {
  return isUrlWith(value, ['nats:', 'tls:', 'ws:', 'wss:']) || /^[^\s/:@]+(:\d{1,5})?$/.test(value);
}

/** Splits `a,b , c` (as NATS_URL may hold) into trimmed, non-empty server entries. */
export function splitServerList(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** Whether `value` is a `redis://` or `rediss://` URL. */
export function isRedisUrl(value: string): boolean {
  return isUrlWith(value, ['redis:', 'rediss:']);
}
