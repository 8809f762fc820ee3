import type { ErrorType } from '@switchyard/contracts';
import { ProviderError } from '../provider-error';

/** Where in the exchange a network failure happened. */
export type ExchangePhase = 'request' | 'body';

interface Classification {
  readonly type: ErrorType;
  readonly code: string;
  readonly message: string;
}

/** Node system error codes and undici error codes, and what they mean for a provider call. */
const byCode: Readonly<Record<string, Classification>> = {
  ECONNREFUSED: {
    type: 'connection',
    code: 'connection_refused',
    message: 'the provider refused the connection',
  },
  ECONNRESET: {
    type: 'connection',
    code: 'connection_reset',
    message: 'the provider reset the connection',
  },
  EPIPE: { type: 'connection', code: 'connection_reset', message: 'the connection was closed' },
  ENOTFOUND: {
    type: 'connection',
    code: 'dns_lookup_failed',
    message: 'the provider host name did not resolve',
  },
  EAI_AGAIN: {
    type: 'connection',
    code: 'dns_lookup_failed',
    message: 'the provider host name could not be resolved now',
  },
  EHOSTUNREACH: {
    type: 'connection',
    code: 'host_unreachable',
    message: 'the provider host is unreachable',
  },
  ENETUNREACH: {
    type: 'connection',
    code: 'host_unreachable',
    message: 'the provider network is unreachable',
  },
  ETIMEDOUT: { type: 'timeout', code: 'connect_timeout', message: 'connecting timed out' },
  UND_ERR_CONNECT_TIMEOUT: {
    type: 'timeout',
    code: 'connect_timeout',
    message: 'connecting to the provider timed out',
  },
  UND_ERR_HEADERS_TIMEOUT: {
    type: 'timeout',
    code: 'headers_timeout',
    message: 'the provider sent no response headers in time',
  },
  UND_ERR_BODY_TIMEOUT: {
    type: 'timeout',
    code: 'body_timeout',
    message: 'the provider sent no response data in time',
  },
  UND_ERR_SOCKET: {
    type: 'connection',
    code: 'socket_error',
    message: 'the connection to the provider failed',
  },
  UND_ERR_CLOSED: {
    type: 'connection',
    code: 'client_closed',
    message: 'the connection pool is closed',
  },
  UND_ERR_DESTROYED: {
    type: 'connection',
    code: 'client_closed',
    message: 'the connection pool was destroyed',
  },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: {
    type: 'connection',
    code: 'connection_reset',
    message: 'the response ended before its announced length',
  },
};

const tlsCode = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The most specific code in an error, its cause chain, and the errors of an AggregateError. */
function innermostCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return [];
  const own = errorCode(error);
  const nested: string[] = [];
  if (error instanceof AggregateError) {
    for (const inner of error.errors) nested.push(...innermostCodes(inner, depth + 1));
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) nested.push(...innermostCodes(cause, depth + 1));
  return own === undefined ? nested : [...nested, own];
}

function describe(error: unknown): string {
  return error instanceof Error && error.message.length > 0 ? `: ${error.message}` : '';
}

/**
 * The ProviderError for a failure below HTTP (connect, TLS, socket, timeouts), so that a
 * network problem is classified like any other failure. During the `body` phase a socket that
 * closes early means the response was cut: `connection` with `cutCode`.
 */
export function networkError(
  error: unknown,
  provider: string,
  phase: ExchangePhase,
  cutCode: string,
): ProviderError {
  const codes = innermostCodes(error);
  for (const code of codes) {
    const known = byCode[code];
    if (known === undefined) continue;
    const cut =
      phase === 'body' &&
      known.type === 'connection' &&
      known.code !== 'client_closed' &&
      known.code !== 'connection_refused';
    return new ProviderError(
      known.type,
      cut ? cutCode : known.code,
      cut
        ? `the response from the provider was cut off${describe(error)}`
        : `${known.message}${describe(error)}`,
      { provider, cause: error },
    );
  }
  if (codes.some((code) => tlsCode.test(code))) {
    return new ProviderError('connection', 'tls_error', `TLS failed${describe(error)}`, {
      provider,
      cause: error,
    });
  }
  return new ProviderError(
    'connection',
    phase === 'body' ? cutCode : 'network_error',
    `the request to the provider failed${describe(error)}`,
    { provider, cause: error },
  );
}
