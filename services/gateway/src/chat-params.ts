import type { ChatCompletionCreateParams, SwitchyardJobOptions } from '@switchyard/client';
import type { Caller } from './authenticate';
import type { ChatRequest } from './chat-request';
import type { JobHeaderOptions } from './job-headers';
import type { JobRequest } from './job-request';

/** What the Switchyard client is asked to do for one HTTP request. */
export interface ClientCall<P = ChatCompletionCreateParams> {
  params: P;
  /** How long to wait for the answer, when the request set a deadline. */
  timeoutMs?: number;
}

/**
 * The client call of an accepted request: the OpenAI body, with the job's key id, tags (from
 * the header and LiteLLM's `metadata.tags`), deadline, cache controls (the body's LiteLLM
 * `cache` and the headers) and lane (LiteLLM's
 * `priority`; interactive without it). Pure apart from `now`.
 */
export function clientCall<R extends object = ChatRequest['request']>(
  chat: JobRequest<R>,
  options: JobHeaderOptions,
  caller: Caller,
  now: number,
): ClientCall<R & { model: string; switchyard: SwitchyardJobOptions }> {
  const tags = [...new Set([...(options.tags ?? []), ...(chat.tags ?? [])])];
  const deadline = options.deadlineMs === undefined ? undefined : now + options.deadlineMs;
  // The Cache-Control and x-switchyard-cache-ttl headers win over the body's `cache`.
  const cache =
    chat.cache === undefined && options.cache === undefined
      ? undefined
      : { ...chat.cache, ...options.cache };
  return {
    params: {
      ...chat.request,
      model: chat.model,
      switchyard: {
        ...(caller.key === undefined ? {} : { key_id: caller.key.id }),
        ...(tags.length === 0 ? {} : { tags }),
        ...(deadline === undefined ? {} : { deadline }),
        ...(cache === undefined ? {} : { cache }),
        ...(options.jobId === undefined ? {} : { job_id: options.jobId }),
        ...(chat.priority === undefined ? {} : { priority: chat.priority }),
      },
    },
    ...(options.deadlineMs === undefined ? {} : { timeoutMs: options.deadlineMs }),
  };
}
