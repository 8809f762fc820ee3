import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { errorAnswer } from './openai-error';

/**
 * Answers a JSON route: authenticates the caller, runs `handle` and sends what it returns
 * (200, as OpenAI answers its POSTs too), or the OpenAI error of what it threw. `handle` may send the reply itself (a file's
 * bytes); it then returns `reply`.
 */
export async function serveJson(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
  handle: (caller: Caller) => Promise<unknown>,
): Promise<void> {
  try {
    const caller = await ctx.auth.authenticate(req.headers);
    const body = await handle(caller);
    if (body !== reply) await reply.code(200).send(body);
  } catch (error) {
    const answer = errorAnswer(error);
    await reply.code(answer.status).headers(answer.headers).send(answer.body);
  }
}
