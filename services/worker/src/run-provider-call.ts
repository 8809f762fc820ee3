import {
  CONTRACT_VERSION,
  type CompletionChunk,
  type CompletionResult,
  type CompletionUsage,
} from '@switchyard/contracts';
import {
  adapterFor,
  completeChat,
  streamChat,
  type AdapterContext,
  type ProviderChunk,
} from '@switchyard/providers';
import type { JobReplies } from './job-replies';
import type { CachedAnswer } from './response-cache/cached-answer';
import { StreamAccumulator } from './response-cache/stream-accumulator';
import { resultMeta, type ProviderCall } from './served-job';

/** How a provider call went; on success its result (or every chunk) has been sent. */
export type CallOutcome =
  | { ok: true; usage: CompletionUsage; completion?: CachedAnswer['completion'] }
  | { ok: false; error: unknown; chunksSent: number };

/** What runProviderCall needs besides the call record. */
export interface RunCallOptions {
  replies: JobReplies;
  dropParams: boolean;
  signal: AbortSignal;
  /** Return the whole completion (a stream put back together), to store it in the cache. */
  keepCompletion?: boolean;
}

/**
 * Makes one provider call for the job and sends its answer to the reply subject: one result
 * (`model` = the logical model, plus the `switchyard` block), or for `request.stream` every
 * chunk as it arrives with `switchyard.seq`, the last one carrying usage and the result
 * metadata. Fills in the call's timings. Never throws: a failure is returned with the number
 * of chunks already sent (a stream that failed midway cannot be retried).
 */
export async function runProviderCall(
  call: ProviderCall,
  options: RunCallOptions,
): Promise<CallOutcome> {
  const context: AdapterContext = { deployment: call.deployment, dropParams: options.dropParams };
  call.callStartedAt = Date.now();
  let chunksSent = 0;
  try {
    const adapter = adapterFor(call.deployment.provider);
    if (call.job.request.stream !== true) {
      const completion = await completeChat(adapter, call.job.request, context, {
        signal: options.signal,
      });
      call.callEndedAt = Date.now();
      const result: CompletionResult = {
        ...completion,
        model: call.job.model,
        switchyard: resultMeta(call),
      };
      await options.replies.send(result, `${call.job.id}:final`);
      const kept =
        options.keepCompletion === true
          ? { completion: { ...completion, model: call.job.model } }
          : {};
      return { ok: true, usage: completion.usage, ...kept };
    }
    const accumulator = options.keepCompletion === true ? new StreamAccumulator() : undefined;
    let held: ProviderChunk | undefined;
    for await (const chunk of streamChat(adapter, call.job.request, context, {
      signal: options.signal,
    })) {
      if (held !== undefined) {
        await options.replies.send(
          middleChunk(call, held, chunksSent),
          `${call.job.id}:${chunksSent}`,
        );
        chunksSent += 1;
      }
      if (call.firstChunkAt === undefined && carriesContent(chunk)) call.firstChunkAt = Date.now();
      accumulator?.add(chunk);
      held = chunk;
    }
    call.callEndedAt = Date.now();
    if (held?.usage == null) throw new Error('the provider stream ended without usage');
    const usage = held.usage;
    await options.replies.send(finalChunk(call, held, usage, chunksSent), `${call.job.id}:final`);
    const completion = accumulator?.completion(call.job.model, usage);
    return { ok: true, usage, ...(completion === undefined ? {} : { completion }) };
  } catch (error) {
    call.callEndedAt = Date.now();
    return { ok: false, error, chunksSent };
  }
}

function carriesContent(chunk: ProviderChunk): boolean {
  return chunk.choices.some(
    (choice) =>
      (choice.delta.content ?? '') !== '' ||
      (choice.delta.tool_calls?.length ?? 0) > 0 ||
      (choice.delta.refusal ?? '') !== '',
  );
}

function middleChunk(call: ProviderCall, chunk: ProviderChunk, seq: number): CompletionChunk {
  return {
    ...chunk,
    usage: null,
    model: call.job.model,
    switchyard: { v: CONTRACT_VERSION, job_id: call.job.id, seq, final: false },
  };
}

function finalChunk(
  call: ProviderCall,
  chunk: ProviderChunk,
  usage: CompletionUsage,
  seq: number,
): CompletionChunk {
  const ttft =
    call.firstChunkAt === undefined
      ? {}
      : { ttft_ms: Math.max(0, Math.round(call.firstChunkAt - call.job.submitted_at)) };
  return {
    ...chunk,
    model: call.job.model,
    usage,
    switchyard: { ...resultMeta(call), seq, final: true, ...ttft },
  };
}
