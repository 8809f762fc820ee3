import type { FastifyInstance } from 'fastify';
import { badRequest } from './gateway-error';

/**
 * Makes `application/json` the only body the gateway reads (up to `bodyLimit` bytes; more is
 * Fastify's 413; another content type is its 415). A body that is not JSON is a 400
 * `invalid_json` in OpenAI's error shape, saying where it broke.
 */
export function registerJsonBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        done(
          badRequest('invalid_json', `The request body is not valid JSON: ${reason}`),
          undefined,
        );
      }
    },
  );
}
