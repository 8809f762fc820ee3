import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE } from '@switchyard/telemetry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONTEXT, type GatewayContext } from './gateway-context';
import { handleChatCompletion } from './handle-chat-completion';
import { listModels } from './list-models';
import { errorAnswer } from './openai-error';

/** The OpenAI routes, with and without the `/v1` prefix (as LiteLLM serves them). */
@Controller()
export class OpenAiController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  async chatCompletions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await handleChatCompletion(this.ctx, req, reply);
  }

  @Get(['v1/models', 'models'])
  async models(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const caller = await this.ctx.auth.authenticate(req.headers);
      await reply.send(listModels(this.ctx.config, (model) => this.ctx.auth.mayUse(caller, model)));
    } catch (error) {
      const answer = errorAnswer(error);
      await reply.code(answer.status).headers(answer.headers).send(answer.body);
    }
  }
}

/** Liveness, readiness and the Prometheus metrics: unauthenticated, for orchestrators. */
@Controller()
export class OperationsController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  @Get('health/liveness')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/readiness')
  async readiness(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.ctx.readiness.run();
    await reply.code(report.ready ? 200 : 503).send({
      status: report.ready ? 'ready' : 'not_ready',
      ...report,
    });
  }

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.ctx.metrics.prometheusText();
    await reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(text);
  }
}
