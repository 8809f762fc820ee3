import type { CompletionResult } from '@switchyard/contracts';
import type { ClientContext } from '../client-context';
import { finalAnswer, sendJob } from '../send-job';
import type {
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  RequestOptions,
} from './chat-params';
import { ChunkStream } from './chunk-stream';
import { buildJob } from './build-job';
import { answerOf } from './earlier-answer';

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
    const sent = await sendJob(this.client, job, options, (record) => answerOf(record, job));
    if ('earlier' in sent) return sent.earlier;
    if (params.stream === true) return new ChunkStream(job.id, sent.inbox);
    return finalAnswer(sent.inbox, (reply) =>
      reply.object === 'chat.completion' ? reply : undefined,
    );
  }
}
