import { TraceAttributes } from '@switchyard/telemetry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientCall } from './chat-params';
import { readEmbeddingsRequest } from './embeddings-request';
import type { GatewayContext } from './gateway-context';
import { GatewayError, tooBusy } from './gateway-error';
import { readJobHeaders } from './job-headers';
import { errorAnswer, failureAnswer } from './openai-error';
import { endRequestSpan, httpTraceContext, inRequestSpan } from './request-span';

/**
 * `POST /v1/embeddings`: as a chat completion without streaming. Authenticates, reads the body
 * and the Switchyard headers, admits the request for the key (model allowed, rpm), publishes an
 * embeddings job through the tenant's client and answers with its result. The client going
 * away cancels the job.
 */
export async function handleEmbeddings(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const startedAt = performance.now();
  if (ctx.inFlight.full) {
    const answer = errorAnswer(tooBusy);
    await reply.code(answer.status).headers(answer.headers).send(answer.body);
    return;
  }
  const request = ctx.inFlight.begin(reply.raw);
  ctx.instruments.started();
  let model = 'unknown';
  let status = 500;
  const attributes = { 'http.request.method': 'POST', 'http.route': '/v1/embeddings' };
  await inRequestSpan(
    'POST /v1/embeddings',
    httpTraceContext(req.headers),
    attributes,
    async (span) => {
      try {
        const caller = await ctx.auth.authenticate(req.headers);
        const embeddings = readEmbeddingsRequest(req.body, ctx.models);
        model = embeddings.model;
        span.setAttributes({
          [TraceAttributes.tenant]: caller.tenant,
          [TraceAttributes.logicalModel]: model,
        });
        await ctx.auth.admit(caller, model);
        const call = clientCall(embeddings, readJobHeaders(req.headers), caller, Date.now());
        const result = await ctx.clients.for(caller.tenant).embeddings.create(call.params, {
          signal: request.signal,
          ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }),
        });
        status = 200;
        await reply.code(200).header('x-switchyard-job-id', result.switchyard.job_id).send(result);
      } catch (error) {
        if (request.clientGone) {
          reply.raw.destroy();
          status = 499;
          return;
        }
        const answer = failureAnswer(error);
        status = answer.status;
        if (answer.status >= 500 && !(error instanceof GatewayError)) {
          ctx.logger.warn({ err: error, status }, 'embeddings request failed');
        }
        if (!reply.sent && !reply.raw.headersSent) {
          await reply.code(answer.status).headers(answer.headers).send(answer.body);
        }
      } finally {
        endRequestSpan(span, status);
        request.done();
        ctx.instruments.finished(
          { model, status, stream: false },
          (performance.now() - startedAt) / 1000,
        );
      }
    },
  );
}
