import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GATEWAY_CONTEXT, type GatewayContext } from './gateway-context';
import { errorAnswer } from './openai-error';

/**
 * Every error that reaches Nest (malformed JSON, a body over the limit, a wrong content type,
 * an unknown route, a bug) answered in OpenAI's error shape.
 */
@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const answer = errorAnswer(exception);
    if (answer.status >= 500) this.ctx.logger.error({ err: exception }, 'request failed');
    if (reply.sent || reply.raw.headersSent) return;
    void reply.code(answer.status).headers(answer.headers).send(answer.body);
  }
}
