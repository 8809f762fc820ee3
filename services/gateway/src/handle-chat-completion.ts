import { TraceAttributes } from '@switchyard/telemetry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readChatRequest } from './chat-request';
import type { GatewayContext } from './gateway-context';
import { GatewayError, tooBusy } from './gateway-error';
import type { InFlightRequest } from './in-flight-requests';
import { errorAnswer, failureAnswer } from './openai-error';
import { endRequestSpan, httpTraceContext, inRequestSpan } from './request-span';
import { streamCompletion } from './stream-completion';
import { submitChat } from './submit-chat';

/**
 * `POST /v1/chat/completions`: authenticates, reads the body and the Switchyard headers,
 * admits the request for the key (model allowed, rpm), publishes the job through the
 * tenant's client and answers with the result, or streams it. The client going away aborts
 * the call, which cancels the job. A `traceparent` header makes the request's span (and the
 * job's) part of the caller's trace.
 */
export async function handleChatCompletion(
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
  let stream = false;
  let status = 500;
  const attributes = { 'http.request.method': 'POST', 'http.route': '/v1/chat/completions' };
  await inRequestSpan(
    'POST /v1/chat/completions',
    httpTraceContext(req.headers),
    attributes,
    async (span) => {
      try {
        const caller = await ctx.auth.authenticate(req.headers);
        const chat = readChatRequest(req.body, ctx.models);
        model = chat.model;
        stream = chat.request.stream === true;
        span.setAttributes({
          [TraceAttributes.tenant]: caller.tenant,
          [TraceAttributes.logicalModel]: model,
        });
        const submitted = await submitChat(ctx, caller, chat, req.headers, request.signal);
        if (submitted.stream) {
          const outcome = await streamCompletion(submitted.chunks, reply, {
            includeUsage: chat.request.stream_options?.include_usage === true,
            startedAt,
            answer: failureAnswer,
          });
          status = outcome.status;
          if (outcome.firstChunkAt !== undefined)
            ctx.instruments.firstChunk(model, outcome.firstChunkAt);
          return;
        }
        const { result } = submitted;
        status = 200;
        await reply.code(200).header('x-switchyard-job-id', result.switchyard.job_id).send(result);
      } catch (error) {
        status = await sendFailure(ctx, reply, request, error);
      } finally {
        endRequestSpan(span, status);
        request.done();
        const seconds = (performance.now() - startedAt) / 1000;
        ctx.instruments.finished({ model, status, stream }, seconds);
      }
    },
  );
}

async function sendFailure(
  ctx: GatewayContext,
  reply: FastifyReply,
  request: InFlightRequest,
  error: unknown,
): Promise<number> {
  if (request.clientGone) {
    reply.raw.destroy();
    return 499;
  }
  const answer = failureAnswer(error);
  if (answer.status >= 500 && !(error instanceof GatewayError)) {
    const { message, code } = answer.body.error;
    const type = answer.body.error.switchyard?.type;
    if (type === undefined) ctx.logger.error({ err: error }, 'chat completion failed');
    else
      ctx.logger.warn({ type, code, status: answer.status }, `chat completion failed: ${message}`);
  }
  if (reply.sent || reply.raw.headersSent) return answer.status;
  await reply.code(answer.status).headers(answer.headers).send(answer.body);
  return answer.status;
}
