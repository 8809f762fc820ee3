import { randomBytes } from 'node:crypto';

/**
 * A short prefix unique to one test, e.g. `T_dedup_3f9a1c07be`: letters, digits, `_` and
 * `-` only, so it is valid as a JetStream stream-name prefix, a NATS subject token and a
 * Redis key prefix. Give each test its own, so tests can share a server without seeing each
 * other's streams, consumers or keys. Characters of `label` outside that set become `_`.
 */
export function uniquePrefix(label: string): string {
  const safe =
    label
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'test';
  return `T_${safe}_${randomBytes(5).toString('hex')}`;
}
