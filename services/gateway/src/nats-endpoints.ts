import { Empty, headers as natsHeaders } from '@nats-io/nats-core';
import type { ChunkStream } from '@switchyard/client';
import { HeaderNames } from '@switchyard/contracts';
import type { ServiceMsg } from '@switchyard/messaging';
import { readChatRequest } from './chat-request';
import { readEmbeddingsRequest } from './embeddings-request';
import type { NatsJobEndpoint } from './nats-request';
import { submitChat, submitEmbeddings } from './submit-job';

/** Sends each chunk as its own message, then the empty end message. */
async function respondWithChunks(msg: ServiceMsg, chunks: ChunkStream): Promise<void> {
  try {
    for await (const chunk of chunks) msg.respond(JSON.stringify(chunk));
  } finally {
    chunks.close();
  }
  const end = natsHeaders();
  end.set(HeaderNames.stream, 'end');
  msg.respond(Empty, { headers: end });
}

/**
 * `chat`: an OpenAI chat-completions body, answered with the `chat.completion` JSON; for
 * `stream: true` one message per chunk, then an empty message with `Switchyard-Stream: end`
 * (an error message also ends a stream).
 */
export const natsChat: NatsJobEndpoint = {
  kind: 'chat',
  async answer(ctx, { msg, body, caller, headers, signal }) {
    const chat = readChatRequest(body, ctx.models);
    const submitted = await submitChat(ctx, caller, chat, headers, signal);
    if (submitted.stream) await respondWithChunks(msg, submitted.chunks);
    else msg.respond(JSON.stringify(submitted.result));
  },
};

/** `embeddings`: an OpenAI embeddings body, answered with OpenAI's `list` of embeddings. */
export const natsEmbeddings: NatsJobEndpoint = {
  kind: 'embeddings',
  async answer(ctx, { msg, body, caller, headers, signal }) {
    const embeddings = readEmbeddingsRequest(body, ctx.models);
    const result = await submitEmbeddings(ctx, caller, embeddings, headers, signal);
    msg.respond(JSON.stringify(result));
  },
};
