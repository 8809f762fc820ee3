import type { FastifyReply, FastifyRequest } from 'fastify';
import { readEmbeddingsRequest } from './embeddings-request';
import type { GatewayContext } from './gateway-context';
import { handleJobRoute } from './job-route';
import { submitEmbeddings } from './submit-job';

/**
 * `POST /v1/embeddings`: as a chat completion without streaming. Authenticates, reads the body
 * and the Switchyard headers, admits the request for the key (model allowed, rpm), publishes an
 * embeddings job through the tenant's client and answers with its result. The client going
 * away cancels the job.
 */
export function handleEmbeddings(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  return handleJobRoute(ctx, req, reply, '/v1/embeddings', async (call) => {
    const embeddings = readEmbeddingsRequest(req.body, ctx.models);
    call.named(embeddings.model, false);
    const result = await submitEmbeddings(ctx, call.caller, embeddings, req.headers, call.signal);
    await reply.code(200).header('x-switchyard-job-id', result.switchyard.job_id).send(result);
    return 200;
  });
}
