import type { CompletionResult } from '@switchyard/contracts';
import type { ClientContext } from '../client-context';
import { errorFromWire } from '../errors/switchyard.error';
import { publishClientJob } from '../publish-client-job';
import type {
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  RequestOptions,
} from './chat-params';
import { ChunkStream } from './chunk-stream';
import { ReplyInbox } from './reply-inbox';
import { buildJob } from './build-job';
import { answerOf, earlierRecord } from './earlier-answer';

/** `client.chat.completions`: request-reply and streaming completions over NATS. */
export class Completions {
  constructor(private readonly client: ClientContext) {}

  /**
   * Sends a completion job for `params.model` and resolves to the finished result, or, with
   * `stream: true`, to a ChunkStream once the job is queued. It subscribes to a fresh inbox
   * before publishing the job (with the inbox as `Switchyard-Reply-To`), so no answer is
   * missed, and stops listening after the first final answer, so a duplicate result for the
   * job (a crashed worker's job served twice) is never seen.
   *
   * Rejects with a SwitchyardError subclass: the class of the error reply's type
   * (RateLimitError, ContextWindowExceededError, …), TimeoutError `client_timeout` when no
   * answer came within the timeout, InvalidJobError for a job that fails the contract
   * (nothing is published), ConnectionError `publish_failed` when the job could not be
   * queued; or with an AbortError when `options.signal` aborts. A timed-out or aborted job is
   * cancelled: the worker serving it aborts the provider call and answers `cancelled`; a job
   * still queued when the cancel is published is dropped by the workers that saw the cancel.
   */
  create(
    params: ChatCompletionCreateParamsStreaming,
    options?: RequestOptions,
  ): Promise<ChunkStream>;
  create(
    params: ChatCompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): Promise<CompletionResult>;
  create(
    params: ChatCompletionCreateParams,
    options?: RequestOptions,
  ): Promise<ChunkStream | CompletionResult>;
  async create(
    params: ChatCompletionCreateParams,
    options: RequestOptions = {},
  ): Promise<ChunkStream | CompletionResult> {
    const timeoutMs = options.timeout ?? this.client.timeoutMs;
    const job = buildJob(params, { tenant: this.client.tenant, waitMs: timeoutMs });
    const wait = { timeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) };
    if (job.request_hash !== undefined) {
      // A job id the caller chose: a job already settled (or on its way) under it answers.
      const earlier = await this.client.replies.record(job.id);
      if (earlier !== null) return answerOf(await earlierRecord(this.client, job.id, wait), job);
    }
    const inbox = new ReplyInbox(this.client.nc, job.id, {
      mux: this.client.replies,
      timeoutMs,
      cancelSubject: this.client.subjects.cancel(this.client.tenant, job.id),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    let stored;
    try {
      stored = await publishClientJob(this.client, job, inbox.subject);
    } catch (error) {
      inbox.close();
      throw error;
    }
    if (stored.duplicate) {
      // The stream already had this job id: its answers go to the first caller's inbox, so
      // this caller waits for the job's answer record (and never cancels the job).
      inbox.close();
      return answerOf(await earlierRecord(this.client, job.id, wait), job);
    }
    if (params.stream === true) return new ChunkStream(job.id, inbox);
    try {
      for (;;) {
        const event = await inbox.next();
        if ('failure' in event) throw event.failure;
        const { reply } = event;
        if (reply.object === 'chat.completion') return reply;
        if (reply.object === 'error') throw errorFromWire(reply.error, reply.switchyard.job_id);
      }
    } finally {
      inbox.close();
    }
  }
}
