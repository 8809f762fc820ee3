import { exceedsJsonDepth, MAX_JSON_DEPTH } from '@switchyard/contracts';
import type { FastifyInstance } from 'fastify';
import { badRequest, GatewayError, OpenAiErrorTypes } from './gateway-error';

/**
 * Reads a request body's text as JSON: a 400 `invalid_json` GatewayError saying where it broke
 * for text that is not JSON, a 400 `too_deeply_nested` for a value that nests objects and arrays
 * more than MAX_JSON_DEPTH deep (refused before anything walks it). The one JSON reader of
 * both the HTTP route and the NATS chat endpoint.
 */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest('invalid_json', `The request body is not valid JSON: ${reason}`);
  }
  if (exceedsJsonDepth(value)) {
    throw badRequest(
      'too_deeply_nested',
      `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  return value;
}

/** The 413 of a body over the gateway's limit (what Fastify answers over HTTP). */
export function bodyTooLarge(bytes: number, limit: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: OpenAiErrorTypes.invalidRequest,
    code: 'request_too_large',
    message: `The request body is ${bytes} bytes; the limit is ${limit} bytes.`,
  });
}

/**
 * Makes `application/json` the only body the gateway reads (up to `bodyLimit` bytes; more is
 * Fastify's 413; another content type is its 415), read by {@link parseJsonBody}.
 */
export function registerJsonBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as GatewayError, undefined);
      }
    },
  );
}
