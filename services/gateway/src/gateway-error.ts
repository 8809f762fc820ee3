/**
 * The OpenAI error `type` of each kind of failure the gateway answers, by HTTP meaning. The
 * OpenAI SDKs pick their error class from the status; `type` is for callers that log it.
 */
export const OpenAiErrorTypes = {
  invalidRequest: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  notFound: 'not_found_error',
  rateLimit: 'rate_limit_error',
  timeout: 'timeout_error',
  cancelled: 'cancelled_error',
  server: 'server_error',
} as const;
export type OpenAiErrorType = (typeof OpenAiErrorTypes)[keyof typeof OpenAiErrorTypes];

/** What the gateway itself refuses with, before (or instead of) publishing a job. */
export interface GatewayErrorInit {
  status: number;
  type: OpenAiErrorType;
  /** Stable, lower snake_case. */
  code: string;
  message: string;
  /** The request field or header at fault. */
  param?: string;
  /** Extra response headers (Retry-After). */
  headers?: Record<string, string>;
}

/** A request the gateway answers with an error of its own (401, 403, 404, 400, 413, 429). */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly type: OpenAiErrorType;
  readonly code: string;
  readonly param: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message);
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param;
    this.headers = init.headers ?? {};
  }
}

/** A 400 naming the field or header at fault. */
export function badRequest(code: string, message: string, param?: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: OpenAiErrorTypes.invalidRequest,
    code,
    message,
    ...(param === undefined ? {} : { param }),
  });
}

/** The 404 of a model the configuration does not have. */
export function unknownModel(model: string): GatewayError {
  return new GatewayError({
    status: 404,
    type: OpenAiErrorTypes.notFound,
    code: 'model_not_found',
    message: `The model ${JSON.stringify(model)} does not exist: it is not in this gateway's configuration. GET /v1/models lists the models.`,
    param: 'model',
  });
}

/** A 429 whose Retry-After (whole seconds, at least 1) says when to come back. */
export function tooManyRequests(code: string, message: string, retryAfterMs: number): GatewayError {
  return new GatewayError({
    status: 429,
    type: OpenAiErrorTypes.rateLimit,
    code,
    message,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  });
}

/** The 503 of a request past `switchyard.gateway.max_in_flight`. */
export const tooBusy = new GatewayError({
  status: 503,
  type: OpenAiErrorTypes.server,
  code: 'too_many_requests_in_flight',
  message:
    'The gateway is answering as many requests as it may at once; send the request again shortly.',
  headers: { 'retry-after': '1' },
});

/** The 503 of a request the stopping gateway aborted. */
export const gatewayStopping = new GatewayError({
  status: 503,
  type: OpenAiErrorTypes.server,
  code: 'gateway_stopping',
  message: 'The gateway is stopping; send the request again.',
});
