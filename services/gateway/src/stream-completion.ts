import type { ChunkStream } from '@switchyard/client';
import type { CompletionChunk } from '@switchyard/contracts';
import type { FastifyReply } from 'fastify';
import type { ErrorAnswer } from './openai-error';
import { openAiChunks, SSE_DONE, sseData, sseError } from './sse-framing';
import { SseWriter } from './sse-writer';

/** How a stream ended, for the request's metrics. */
export interface StreamOutcome {
  /** The HTTP status sent, or the one an error before the first chunk asks for. */
  status: number;
  /** Seconds from the request to the first chunk written, when one was. */
  firstChunkAt?: number;
}

/**
 * Answers a streaming request from its ChunkStream in OpenAI's SSE framing. Nothing is sent
 * before the first chunk, so an early failure (every deployment refused) is thrown for an
 * ordinary HTTP error answer; once the stream started, a failure becomes a `data: {"error":…}`
 * event and the stream ends without `[DONE]`. Writes wait for the socket (backpressure); a
 * client that goes away aborts the create call's signal, which ends the iteration and cancels
 * the job.
 */
export async function streamCompletion(
  stream: ChunkStream,
  reply: FastifyReply,
  options: {
    includeUsage: boolean;
    startedAt: number;
    /** The error answer of a failure (see handle-chat-completion). */
    answer: (error: unknown) => ErrorAnswer;
  },
): Promise<StreamOutcome> {
  const iterator = stream[Symbol.asyncIterator]();
  let next: IteratorResult<CompletionChunk>;
  try {
    next = await iterator.next();
  } catch (error) {
    stream.close();
    throw error;
  }
  reply.hijack();
  const writer = new SseWriter(reply.raw);
  writer.start({ 'x-switchyard-job-id': stream.jobId });
  const firstChunkAt = (performance.now() - options.startedAt) / 1000;
  try {
    while (next.done !== true) {
      for (const chunk of openAiChunks(next.value, options.includeUsage)) {
        await writer.write(sseData(chunk));
      }
      if (writer.closed) return { status: 499, firstChunkAt };
      next = await iterator.next();
    }
    await writer.write(SSE_DONE);
    return { status: 200, firstChunkAt };
  } catch (error) {
    if (!writer.closed) await writer.write(sseError(options.answer(error).body));
    return { status: writer.closed ? 499 : 200, firstChunkAt };
  } finally {
    stream.close();
    writer.end();
  }
}
