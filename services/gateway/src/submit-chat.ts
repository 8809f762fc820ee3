import type { ChunkStream } from '@switchyard/client';
import type { CompletionResult } from '@switchyard/contracts';
import type { Caller } from './authenticate';
import { clientCall } from './chat-params';
import type { ChatRequest } from './chat-request';
import type { GatewayContext } from './gateway-context';
import { readJobHeaders, type HeaderBag } from './job-headers';

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
  await ctx.auth.admit(caller, chat.model);
  const call = clientCall(chat, readJobHeaders(headers), caller, Date.now());
  const client = ctx.clients.for(caller.tenant);
  const options = { signal, ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }) };
  if (chat.request.stream === true) {
    const chunks = await client.chat.completions.create({ ...call.params, stream: true }, options);
    return { stream: true, chunks };
  }
  const result = await client.chat.completions.create({ ...call.params, stream: false }, options);
  return { stream: false, result };
}
