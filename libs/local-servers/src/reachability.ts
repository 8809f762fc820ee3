import { isPortOpen } from './ports';
import { probeNats, probeRedis } from './protocol-probe';
import { parseServerAddress } from './server-address';

/**
 * True if a NATS server answers at `url` within `timeoutMs`: the TCP connection opens and
 * the server sends its `INFO {...}` greeting. `url` may be a comma-separated list, as in
 * NATS_URL; then any one answering server is enough. No client library, no credentials.
 */
export async function isNatsReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const urls = url
    .split(',')
    .map((one) => one.trim())
    .filter((one) => one !== '');
  const answers = await Promise.all(
    urls.map((one) => {
      const { host, port } = parseServerAddress(one, 'nats', 4222);
      return probeNats(host, port, timeoutMs);
    }),
  );
  return answers.includes(true);
}

/**
 * True if a Redis server answers at `url` within `timeoutMs`: it replies to `PING`, with
 * `+PONG` or an error such as `-NOAUTH` (a password is required, but it is Redis). For a
 * `rediss://` (TLS) URL only the TCP connection is checked.
 */
export async function isRedisReachable(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { scheme, host, port } = parseServerAddress(url, 'redis', 6379);
  if (scheme === 'rediss') return isPortOpen(host, port, timeoutMs);
  return probeRedis(host, port, timeoutMs, false);
}
