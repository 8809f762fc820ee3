import type { CacheControl, ChatCompletionRequest, JobPriority } from '@switchyard/contracts';

/** Switchyard's additions to an OpenAI chat-completions body; all optional. */
export interface SwitchyardJobOptions {
  /**
   * The job id and idempotency key (`[A-Za-z0-9_\-:.]{1,128}`): the same id published twice
   * within the duplicate window runs once. @defaultValue a fresh random id
   */
  job_id?: string;
  /** Epoch ms after which the job is failed with deadline_exceeded instead of being sent. */
  deadline?: number;
  /** Per-request cache controls (`use_cache`, `no_cache`, `no_store`, `ttl` in seconds). */
  cache?: CacheControl;
  /** Logical models to try, in order, before the configured fallbacks. */
  fallbacks?: string[];
  /** Labels for spend reports. */
  tags?: string[];
  /** The id (never the secret) of the virtual key the job is submitted with, for spend per key. */
  key_id?: string;
  /**
   * The lane the job waits in: `interactive` jobs are served first, `batch` jobs with the
   * slots interactive ones leave (and a share kept for them). @defaultValue 'interactive'
   */
  priority?: JobPriority;
}

/**
 * The body of `client.chat.completions.create`: an OpenAI chat-completions body whose
 * `model` is a Switchyard logical model, plus the optional `switchyard` extras.
 */
export type ChatCompletionCreateParams = ChatCompletionRequest & {
  model: string;
  switchyard?: SwitchyardJobOptions;
};

/** A create call that streams: it resolves to a ChunkStream. */
export type ChatCompletionCreateParamsStreaming = ChatCompletionCreateParams & { stream: true };

/** A create call that does not stream: it resolves to the finished result. */
export type ChatCompletionCreateParamsNonStreaming = ChatCompletionCreateParams & {
  stream?: false | null;
};

/** Per-call options, as the OpenAI client's second argument. */
export interface RequestOptions {
  /** Milliseconds to wait for the answer (a stream's final chunk). @defaultValue the client's */
  timeout?: number;
  /** Aborts waiting: the call rejects (a stream throws) with an AbortError. */
  signal?: AbortSignal;
}
