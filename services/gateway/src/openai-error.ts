import { AbortError, SwitchyardError } from '@switchyard/client';
import { ErrorTypes, type DeploymentAttempt, type ErrorType } from '@switchyard/contracts';
import {
  GatewayError,
  gatewayStopping,
  OpenAiErrorTypes,
  type OpenAiErrorType,
} from './gateway-error';

/** The body of every error the gateway answers: OpenAI's shape, plus Switchyard's details. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: OpenAiErrorType;
    param: string | null;
    code: string | null;
    /** Present for a job that failed: how Switchyard classified it and who was tried. */
    switchyard?: {
      type: ErrorType;
      retryable: boolean;
      provider?: string;
      job_id: string | null;
      deployments_tried: readonly DeploymentAttempt[];
    };
  };
}

/** An error answer: status, body and extra headers. */
export interface ErrorAnswer {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
}

const openAiTypeOf: Record<ErrorType, OpenAiErrorType> = {
  rate_limit: OpenAiErrorTypes.rateLimit,
  budget_exceeded: OpenAiErrorTypes.rateLimit,
  overloaded: OpenAiErrorTypes.server,
  server: OpenAiErrorTypes.server,
  connection: OpenAiErrorTypes.server,
  timeout: OpenAiErrorTypes.timeout,
  deadline_exceeded: OpenAiErrorTypes.timeout,
  auth: OpenAiErrorTypes.authentication,
  bad_request: OpenAiErrorTypes.invalidRequest,
  invalid_job: OpenAiErrorTypes.invalidRequest,
  context_window_exceeded: OpenAiErrorTypes.invalidRequest,
  content_policy: OpenAiErrorTypes.invalidRequest,
  not_found: OpenAiErrorTypes.notFound,
  cancelled: OpenAiErrorTypes.cancelled,
  conflict: OpenAiErrorTypes.invalidRequest,
};

/** Fastify's own refusals, by the status it gives them. */
const fastifyCodes: Record<number, { type: OpenAiErrorType; code: string }> = {
  400: { type: OpenAiErrorTypes.invalidRequest, code: 'invalid_json' },
  404: { type: OpenAiErrorTypes.notFound, code: 'route_not_found' },
  408: { type: OpenAiErrorTypes.timeout, code: 'request_timeout' },
  413: { type: OpenAiErrorTypes.invalidRequest, code: 'request_too_large' },
  415: { type: OpenAiErrorTypes.invalidRequest, code: 'unsupported_media_type' },
};

function retryAfterHeader(ms: number | undefined): Record<string, string> {
  return ms === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** The answer to a job that failed: the status of its type (ErrorTypes), details kept. */
export function jobErrorAnswer(error: SwitchyardError): ErrorAnswer {
  const status = error.code === 'client_timeout' ? 504 : ErrorTypes[error.type].status;
  return {
    status,
    body: {
      error: {
        message: error.message,
        type: openAiTypeOf[error.type],
        param: error.param ?? null,
        code: error.code,
        switchyard: {
          type: error.type,
          retryable: error.retryable,
          ...(error.provider === undefined ? {} : { provider: error.provider }),
          job_id: error.jobId,
          deployments_tried: error.deploymentsTried,
        },
      },
    },
    headers: retryAfterHeader(error.retryAfterMs),
  };
}

/** The 4xx status of a framework error (Fastify's `statusCode`, Nest's `getStatus()`). */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, getStatus } = error as { statusCode?: unknown; getStatus?: unknown };
  const found = typeof getStatus === 'function' ? (getStatus.call(error) as unknown) : statusCode;
  return typeof found === 'number' && found >= 400 && found < 500 ? found : undefined;
}

/**
 * The answer to anything a request failed with: a GatewayError as it says, a job's
 * SwitchyardError by its type, a framework refusal (malformed JSON, body too large, unknown
 * route, wrong content type) by its status; anything else is a 500 that reveals nothing.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof GatewayError) {
    const { message, type, param, code, status, headers } = error;
    return {
      status,
      body: { error: { message, type, param: param ?? null, code } },
      headers: { ...headers },
    };
  }
  if (error instanceof SwitchyardError) return jobErrorAnswer(error);
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    const known = fastifyCodes[status] ?? {
      type: OpenAiErrorTypes.invalidRequest,
      code: 'invalid_request',
    };
    const message = error instanceof Error ? error.message : String(error);
    return {
      status,
      body: { error: { message, type: known.type, param: null, code: known.code } },
      headers: {},
    };
  }
  return {
    status: 500,
    body: {
      error: {
        message: 'The gateway failed to handle the request.',
        type: OpenAiErrorTypes.server,
        param: null,
        code: 'internal_error',
      },
    },
    headers: {},
  };
}

/**
 * The error answer of a request that failed while being answered: as {@link errorAnswer}, but
 * an abort (which was not the client's) is the gateway stopping.
 */
export function failureAnswer(error: unknown): ErrorAnswer {
  return errorAnswer(error instanceof AbortError ? gatewayStopping : error);
}
