import { AbortError } from '@switchyard/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readChatRequest } from './chat-request';
import { clientCall } from './chat-params';
import type { GatewayContext } from './gateway-context';
import { GatewayError, OpenAiErrorTypes } from './gateway-error';
import type { InFlightRequest } from './in-flight-requests';
import { readJobHeaders } from './job-headers';
import { errorAnswer, type ErrorAnswer } from './openai-error';
import { streamCompletion } from './stream-completion';

const tooBusy = new GatewayError({
  status: 503,
  type: OpenAiErrorTypes.server,
  code: 'too_many_requests_in_flight',
  message:
    'The gateway is answering as many requests as it may at once; send the request again shortly.',
  headers: { 'retry-after': '1' },
});

const stopping = new GatewayError({
  status: 503,
  type: OpenAiErrorTypes.server,
  code: 'gateway_stopping',
  message: 'The gateway is stopping; send the request again.',
});

/** The error answer of a failure; an abort that was not the client's is the gateway stopping. */
function answerFor(error: unknown): ErrorAnswer {
  return errorAnswer(error instanceof AbortError ? stopping : error);
}

/**
 * `POST /v1/chat/completions`: authenticates, reads the body and the Switchyard headers,
 * admits the request for the key (model allowed, rpm), publishes the job through the
 * tenant's client and answers with the result, or streams it. The client going away aborts
 * the call, which cancels the job.
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
  try {
    const caller = await ctx.auth.authenticate(req.headers);
    const chat = readChatRequest(req.body, ctx.models);
    model = chat.model;
    stream = chat.request.stream === true;
    await ctx.auth.admit(caller, chat.model);
    const call = clientCall(chat, readJobHeaders(req.headers), caller, Date.now());
    const client = ctx.clients.for(caller.tenant);
    const options = {
      signal: request.signal,
      ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }),
    };
    if (stream) {
      const chunks = await client.chat.completions.create(
        { ...call.params, stream: true },
        options,
      );
      const outcome = await streamCompletion(chunks, reply, {
        includeUsage: chat.request.stream_options?.include_usage === true,
        startedAt,
        answer: answerFor,
      });
      status = outcome.status;
      if (outcome.firstChunkAt !== undefined)
        ctx.instruments.firstChunk(model, outcome.firstChunkAt);
      return;
    }
    const result = await client.chat.completions.create({ ...call.params, stream: false }, options);
    status = 200;
    await reply.code(200).header('x-switchyard-job-id', result.switchyard.job_id).send(result);
  } catch (error) {
    status = await sendFailure(ctx, reply, request, error);
  } finally {
    request.done();
    const seconds = (performance.now() - startedAt) / 1000;
    ctx.instruments.finished({ model, status, stream }, seconds);
  }
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
  const answer = answerFor(error);
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
