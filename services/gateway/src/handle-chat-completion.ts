import type { FastifyReply, FastifyRequest } from 'fastify';
import { readChatRequest } from './chat-request';
import type { GatewayContext } from './gateway-context';
import { failureAnswer } from './openai-error';
import { handleJobRoute } from './job-route';
import { streamCompletion } from './stream-completion';
import { submitChat } from './submit-job';

/**
 * `POST /v1/chat/completions`: authenticates, reads the body and the Switchyard headers,
 * admits the request for the key (model allowed, rpm), publishes the job through the
 * tenant's client and answers with the result, or streams it. The client going away aborts
 * the call, which cancels the job. A `traceparent` header makes the request's span (and the
 * job's) part of the caller's trace.
 */
export function handleChatCompletion(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  return handleJobRoute(ctx, req, reply, '/v1/chat/completions', async (call) => {
    const chat = readChatRequest(req.body, ctx.models);
    call.named(chat.model, chat.request.stream === true);
    const submitted = await submitChat(ctx, call.caller, chat, req.headers, call.signal);
    if (submitted.stream) {
      const outcome = await streamCompletion(submitted.chunks, reply, {
        includeUsage: chat.request.stream_options?.include_usage === true,
        startedAt: call.startedAt,
        answer: failureAnswer,
      });
      if (outcome.firstChunkAt !== undefined) {
        ctx.instruments.firstChunk(chat.model, outcome.firstChunkAt);
      }
      return outcome.status;
    }
    const { result } = submitted;
    await reply.code(200).header('x-switchyard-job-id', result.switchyard.job_id).send(result);
    return 200;
  });
}
