import { exceedsJsonDepth, MAX_JSON_DEPTH } from '@switchyard/contracts';
import type { FastifyInstance } from 'fastify';
import { badRequest } from './gateway-error';

/**
 * Makes `application/json` the only body the gateway reads (up to `bodyLimit` bytes; more is
 * Fastify's 413; another content type is its 415). A body that is not JSON is a 400
 * `invalid_json` in OpenAI's error shape, saying where it broke; one that nests objects and
 * arrays more than MAX_JSON_DEPTH deep is a 400 `too_deeply_nested`, refused before anything
 * walks it.
 */
export function registerJsonBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      let value: unknown;
      try {
        value = JSON.parse(body as string) as unknown;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        done(
          badRequest('invalid_json', `The request body is not valid JSON: ${reason}`),
          undefined,
        );
        return;
      }
      if (exceedsJsonDepth(value)) {
        const message = `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`;
        done(badRequest('too_deeply_nested', message), undefined);
        return;
      }
      done(null, value);
    },
  );
}
