/** Where a server listens, as read from a URL such as `nats://host:4222` or `redis://:pw@host`. */
export interface ServerAddress {
  /** Scheme without the colon (`nats`, `tls`, `redis`, `rediss`); `defaultScheme` if none was given. */
  scheme: string;
  /** Host name or IP, IPv6 without brackets. */
  host: string;
  port: number;
}

/**
 * Reads host and port from a server URL; a bare `host:port` or `host` is accepted too.
 * Throws an Error naming the URL if it cannot be parsed.
 */
export function parseServerAddress(
  url: string,
  defaultScheme: string,
  defaultPort: number,
): ServerAddress {
  const trimmed = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : `${defaultScheme}://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch (error) {
    throw new Error(`not a server URL: "${url}"`, { cause: error });
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new Error(`no host in server URL "${url}"`);
  return {
    scheme: parsed.protocol.replace(/:$/, ''),
    host,
    port: parsed.port === '' ? defaultPort : Number(parsed.port),
  };
}

/** `scheme://host:port`, with brackets around an IPv6 host. */
export function formatServerUrl(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The address a client on this machine uses to reach a server bound to `host`: a wildcard
 * bind address (`0.0.0.0`, `::`) is reached through loopback.
 */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
