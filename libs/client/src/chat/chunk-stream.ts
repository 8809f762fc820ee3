import { makeError, type CompletionChunk } from '@switchyard/contracts';
import { ServerError, errorFromWire } from '../errors/switchyard.error';
import { ChunkOrder } from './chunk-order';
import type { ReplyInbox } from './reply-inbox';
import { resultAsChunk } from './result-as-chunk';

/**
 * The chunks of one streaming job, as an async iterable (like the OpenAI client's Stream):
 * in `switchyard.seq` order, duplicates dropped, ending after the final chunk (which carries
 * usage and how the job was served). An error reply, the timeout or the abort signal make the
 * iteration throw (a SwitchyardError subclass, or an AbortError), after the chunks that came
 * before it. A chunk of another generation than the first (the job was delivered again after
 * its stream started) ends it with a ServerError `stream_cut` and cancels the job, so the text
 * is always one generation's. It can be iterated once; breaking out of the loop stops
 * listening.
 */
export class ChunkStream implements AsyncIterable<CompletionChunk> {
  private iterated = false;

  constructor(
    /** The job being streamed. */
    readonly jobId: string,
    private readonly inbox: ReplyInbox,
  ) {}

  /** Stops listening without reading further. */
  close(): void {
    this.inbox.close();
  }

  private streamCut(why: string): ServerError {
    const message = `the stream of job ${this.jobId} was cut: ${why}; send the request again`;
    return new ServerError(makeError('server', 'stream_cut', message), this.jobId);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CompletionChunk> {
    if (this.iterated) throw new Error(`the stream of job ${this.jobId} was already iterated`);
    this.iterated = true;
    const order = new ChunkOrder();
    let yielded = 0;
    try {
      for (;;) {
        const event = await this.inbox.next();
        if ('failure' in event) throw event.failure;
        const { reply } = event;
        if (reply.object === 'error') throw errorFromWire(reply.error, reply.switchyard.job_id);
        if (reply.object === 'list') {
          throw new Error(`job ${this.jobId} was answered with embeddings, not a stream`);
        }
        if (reply.object === 'chat.completion') {
          if (yielded === 0) yield resultAsChunk(reply);
          return;
        }
        const step = order.accept(reply);
        if ('cut' in step) {
          this.inbox.abandon();
          throw this.streamCut(
            `generation ${step.cut.got} followed ${step.cut.had} (the job was delivered again ` +
              'after its stream had started)',
          );
        }
        if ('lost' in step) {
          throw this.streamCut(
            `${step.lost.missing} chunks were lost while the connection to NATS was down`,
          );
        }
        for (const chunk of step.ready) {
          yielded += 1;
          yield chunk;
          if (chunk.switchyard.final) return;
        }
      }
    } finally {
      this.inbox.close();
    }
  }
}
