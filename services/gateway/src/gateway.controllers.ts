import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { PROMETHEUS_CONTENT_TYPE } from '@switchyard/telemetry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONTEXT, type GatewayContext } from './gateway-context';
import { handleChatCompletion } from './handle-chat-completion';
import { handleEmbeddings } from './handle-embeddings';
import { listModels } from './list-models';
import { cancelBatch, createBatch, listBatches, retrieveBatch } from './batches-endpoint';
import { deleteFile, listFiles, retrieveFile, sendFileContent, uploadFile } from './files-endpoint';
import { serveJson } from './serve-json';

/** The OpenAI routes, with and without the `/v1` prefix (as LiteLLM serves them). */
@Controller()
export class OpenAiController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  async chatCompletions(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await handleChatCompletion(this.ctx, req, reply);
  }

  @Post(['v1/embeddings', 'embeddings'])
  async embeddings(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await handleEmbeddings(this.ctx, req, reply);
  }

  @Get(['v1/models', 'models'])
  async models(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) =>
      Promise.resolve(listModels(this.ctx.config, (model) => this.ctx.auth.mayUse(caller, model))),
    );
  }
}

/** OpenAI's Files API, each file its tenant's own. */
@Controller()
export class FilesController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  @Post(['v1/files', 'files'])
  async upload(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => uploadFile(this.ctx, req, caller));
  }

  @Get(['v1/files', 'files'])
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => listFiles(this.ctx, req, caller));
  }

  @Get(['v1/files/:id', 'files/:id'])
  async retrieve(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => retrieveFile(this.ctx, req, caller));
  }

  @Get(['v1/files/:id/content', 'files/:id/content'])
  async content(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) =>
      sendFileContent(this.ctx, req, reply, caller),
    );
  }

  @Delete(['v1/files/:id', 'files/:id'])
  async delete(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => deleteFile(this.ctx, req, caller));
  }
}

/** OpenAI's Batch API, run server-side by the batch runner; each batch its tenant's own. */
@Controller()
export class BatchesController {
  constructor(@Inject(GATEWAY_CONTEXT) private readonly ctx: GatewayContext) {}

  @Post(['v1/batches', 'batches'])
  async create(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => createBatch(this.ctx, req, caller));
  }

  @Get(['v1/batches', 'batches'])
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => listBatches(this.ctx, req, caller));
  }

  @Get(['v1/batches/:id', 'batches/:id'])
  async retrieve(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => retrieveBatch(this.ctx, req, caller));
  }

  @Post(['v1/batches/:id/cancel', 'batches/:id/cancel'])
  async cancel(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await serveJson(this.ctx, req, reply, (caller) => cancelBatch(this.ctx, req, caller));
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
