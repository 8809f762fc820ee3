import {
  CONTRACT_VERSION,
  generationOf,
  isEmbeddingsJob,
  type CompletionChunk,
  type CompletionResult,
  type CompletionUsage,
  type ReplyMessage,
} from '@switchyard/contracts';
import {
  adapterFor,
  completeChat,
  streamChat,
  type AdapterContext,
  type ProviderChunk,
} from '@switchyard/providers';
import { withCallDefaults } from './call-defaults';
import type { JobReplies } from './job-replies';
import type { CachedAnswer } from './response-cache/cached-answer';
import { StreamAccumulator } from './response-cache/stream-accumulator';
import { callResultMeta, type ProviderCall } from './answer-accounting';
import { runEmbeddingsCall } from './run-embeddings-call';

/**
 * How a provider call went. On success, `final` is the job's last message (the result, or the
 * final chunk of a stream, every chunk before it already sent); it is not sent yet, since the
 * answer is recorded first. On failure, how many chunks went out and their text, to bill what
 * a cut stream consumed.
 */
export type CallOutcome =
  | {
      ok: true;
      final: ReplyMessage;
      usage: CompletionUsage;
      completion?: CachedAnswer['completion'];
    }
  | { ok: false; error: unknown; chunksSent: number; streamedText: string };

/** What runProviderCall needs besides the call record. */
export interface RunCallOptions {
  replies: JobReplies;
  dropParams: boolean;
  signal: AbortSignal;
  /** Return the whole completion (a stream put back together), to store it in the cache. */
  keepCompletion?: boolean;
}

/**
 * Makes one provider call for the job. For a result: `model` becomes the logical model and the
 * `switchyard` block is added. For `request.stream`, every chunk but the last is sent as it
 * arrives, with `switchyard.seq` and the delivery's `generation`; the last (the one with the
 * usage) carries usage and the result metadata and is returned. Fills in the call's timings.
 * Never throws: a failure is returned with what had been streamed (a stream that failed midway
 * cannot be retried). An embeddings job is served by runEmbeddingsCall.
 */
export async function runProviderCall(
  call: ProviderCall,
  options: RunCallOptions,
): Promise<CallOutcome> {
  const { job } = call;
  if (isEmbeddingsJob(job)) return runEmbeddingsCall(call, job, options);
  const context: AdapterContext = { deployment: call.deployment, dropParams: options.dropParams };
  const request = withCallDefaults(job.request, call.deployment);
  call.callStartedAt = Date.now();
  let chunksSent = 0;
  let streamedText = '';
  try {
    const adapter = adapterFor(call.deployment.provider);
    if (request.stream !== true) {
      const completion = await completeChat(adapter, request, context, {
        signal: options.signal,
      });
      call.callEndedAt = Date.now();
      const result: CompletionResult = {
        ...completion,
        model: call.job.model,
        switchyard: callResultMeta(call, completion.usage),
      };
      const kept =
        options.keepCompletion === true
          ? { completion: { ...completion, model: call.job.model } }
          : {};
      return { ok: true, final: result, usage: completion.usage, ...kept };
    }
    const generation = generationOf(call.job.route.length, call.attempt);
    const accumulator = options.keepCompletion === true ? new StreamAccumulator() : undefined;
    const send = async (chunk: ProviderChunk): Promise<void> => {
      const outcome = await options.replies.send(
        middleChunk(call, chunk, chunksSent, generation),
        `${call.job.id}:${chunksSent}`,
      );
      if (outcome === 'failed' || outcome === 'too_large') {
        throw new Error(`stream chunk ${chunksSent} could not be sent (${outcome})`);
      }
      chunksSent += 1;
      streamedText += textOf(chunk);
    };
    // A chunk goes out as it arrives, with two exceptions. Chunks before the first with content
    // (the role) wait for it, so that a stream failing before any content has sent nothing and
    // may still be retried. The chunk with the usage, which streamChat yields last, becomes
    // the final chunk, sent once the answer is recorded.
    const leading: ProviderChunk[] = [];
    let held: ProviderChunk | undefined;
    for await (const chunk of streamChat(adapter, request, context, {
      signal: options.signal,
    })) {
      if (held !== undefined) throw new Error('the provider stream went on after its usage');
      accumulator?.add(chunk);
      if (chunk.usage != null) {
        held = chunk;
        continue;
      }
      if (call.firstChunkAt === undefined) {
        if (!carriesContent(chunk)) {
          leading.push(chunk);
          continue;
        }
        call.firstChunkAt = Date.now();
        for (const waiting of leading.splice(0)) await send(waiting);
      }
      await send(chunk);
    }
    // A stream with no content at all: its chunks go out before the final one.
    for (const waiting of leading) await send(waiting);
    call.callEndedAt = Date.now();
    if (held?.usage == null) throw new Error('the provider stream ended without usage');
    const usage = held.usage;
    const completion = accumulator?.completion(call.job.model, usage);
    return {
      ok: true,
      final: finalChunk(call, held, usage, chunksSent, generation),
      usage,
      ...(completion === undefined ? {} : { completion }),
    };
  } catch (error) {
    call.callEndedAt = Date.now();
    return { ok: false, error, chunksSent, streamedText };
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

/** The text a chunk carries (content, refusals, tool call names and arguments). */
function textOf(chunk: ProviderChunk): string {
  return chunk.choices
    .map(
      (choice) =>
        (choice.delta.content ?? '') +
        (choice.delta.refusal ?? '') +
        (choice.delta.tool_calls ?? [])
          .map((call) => (call.function?.name ?? '') + (call.function?.arguments ?? ''))
          .join(''),
    )
    .join('');
}

function middleChunk(
  call: ProviderCall,
  chunk: ProviderChunk,
  seq: number,
  generation: string,
): CompletionChunk {
  return {
    ...chunk,
    usage: null,
    model: call.job.model,
    switchyard: { v: CONTRACT_VERSION, job_id: call.job.id, seq, generation, final: false },
  };
}

function finalChunk(
  call: ProviderCall,
  chunk: ProviderChunk,
  usage: CompletionUsage,
  seq: number,
  generation: string,
): CompletionChunk {
  const ttft =
    call.firstChunkAt === undefined
      ? {}
      : { ttft_ms: Math.max(0, Math.round(call.firstChunkAt - call.job.submitted_at)) };
  return {
    ...chunk,
    model: call.job.model,
    usage,
    switchyard: { ...callResultMeta(call, usage), seq, generation, final: true, ...ttft },
  };
}
