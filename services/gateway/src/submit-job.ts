import type { ChunkStream } from '@switchyard/client';
import type { CompletionResult, EmbeddingsResult } from '@switchyard/contracts';
import type { Caller } from './authenticate';
import { clientCall } from './chat-params';
import type { ChatRequest } from './chat-request';
import type { EmbeddingsHttpRequest } from './embeddings-request';
import type { GatewayContext } from './gateway-context';
import { readJobHeaders, type HeaderBag } from './job-headers';
import type { JobRequest } from './job-request';

/** What a submitted request waits on: the result, or the stream of its chunks. */
export type SubmittedChat =
  { stream: false; result: CompletionResult } | { stream: true; chunks: ChunkStream };

/**
 * Submits an accepted chat request for `caller`, over HTTP or NATS alike: admits it (model
 * allowed, the key's rpm), reads the job controls of its headers (deadline, tags, cache),
 * publishes the job through the tenant's client and waits for the result, or, for
 * `stream: true`, until the job is queued. `signal` aborting cancels the job.
 */
export async function submitChat(
  ctx: GatewayContext,
  caller: Caller,
  chat: ChatRequest,
  headers: HeaderBag,
  signal: AbortSignal,
): Promise<SubmittedChat> {
  const { client, call, options } = await admitted(ctx, caller, chat, headers, signal);
  if (chat.request.stream === true) {
    const chunks = await client.chat.completions.create({ ...call.params, stream: true }, options);
    return { stream: true, chunks };
  }
  const result = await client.chat.completions.create({ ...call.params, stream: false }, options);
  return { stream: false, result };
}

/**
 * Submits an accepted embeddings request for `caller` as submitChat does a chat request, and
 * waits for OpenAI's list of embeddings.
 */
export async function submitEmbeddings(
  ctx: GatewayContext,
  caller: Caller,
  embeddings: EmbeddingsHttpRequest,
  headers: HeaderBag,
  signal: AbortSignal,
): Promise<EmbeddingsResult> {
  const { client, call, options } = await admitted(ctx, caller, embeddings, headers, signal);
  return client.embeddings.create(call.params, options);
}

/** Admits the request for the caller, then the tenant's client, the client call and its options. */
async function admitted<R extends object>(
  ctx: GatewayContext,
  caller: Caller,
  accepted: JobRequest<R>,
  headers: HeaderBag,
  signal: AbortSignal,
) {
  await ctx.auth.admit(caller, accepted.model);
  const call = clientCall(accepted, readJobHeaders(headers), caller, Date.now());
  const client = ctx.clients.for(caller.tenant);
  const options = { signal, ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }) };
  return { client, call, options };
}
