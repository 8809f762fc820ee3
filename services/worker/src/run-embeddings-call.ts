import { endianness } from 'node:os';
import type { Deployment } from '@switchyard/config';
import type {
  CompletionUsage,
  EmbeddingEncoding,
  EmbeddingsJob,
  EmbeddingsResult,
} from '@switchyard/contracts';
import { estimateInputTokens } from '@switchyard/limits';
import { adapterFor, createEmbeddings, type AdapterContext } from '@switchyard/providers';
import { callResultMeta, type ProviderCall } from './answer-accounting';
import type { CallOutcome, RunCallOptions } from './run-provider-call';

/** A vector as OpenAI's `encoding_format: base64` sends it: little-endian float32s, base64. */
export function base64Embedding(vector: readonly number[]): string {
  const floats = new Float32Array(vector);
  const bytes = Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
  // A big-endian host: swap each float's bytes so the wire stays little-endian.
  if (endianness() === 'BE') bytes.swap32();
  return bytes.toString('base64');
}

/**
 * The tokens an embeddings call billed: the provider's count, or (Gemini reports none) the
 * worker's count of the inputs on the deployment's tokenizer. Embeddings have no completion
 * tokens.
 */
function embeddingsUsage(
  reported: number | undefined,
  job: EmbeddingsJob,
  deployment: Deployment,
): CompletionUsage {
  const prompt = reported ?? estimateInputTokens(job.request, deployment);
  return { prompt_tokens: prompt, completion_tokens: 0, total_tokens: prompt };
}

/**
 * Makes one provider call for an embeddings job (`job`, the call's own job, narrowed) and returns the job's result: OpenAI's list of
 * embeddings in the caller's `encoding_format` (floats unless `base64`), `model` the logical
 * model, and the `switchyard` block. Fills in the call's timings. Never throws: a failure is
 * returned as the outcome (nothing is streamed, so it can always be retried).
 */
export async function runEmbeddingsCall(
  call: ProviderCall,
  job: EmbeddingsJob,
  options: RunCallOptions,
): Promise<CallOutcome> {
  const context: AdapterContext = { deployment: call.deployment, dropParams: options.dropParams };
  call.callStartedAt = Date.now();
  try {
    const answer = await createEmbeddings(
      adapterFor(call.deployment.provider),
      job.request,
      context,
      {
        signal: options.signal,
      },
    );
    call.callEndedAt = Date.now();
    const usage = embeddingsUsage(answer.promptTokens, job, call.deployment);
    const encoding: EmbeddingEncoding = job.request.encoding_format ?? 'float';
    const completion: Omit<EmbeddingsResult, 'switchyard'> = {
      object: 'list',
      data: answer.vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        embedding: encoding === 'base64' ? base64Embedding(vector) : vector,
      })),
      model: job.model,
      usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens },
    };
    const result: EmbeddingsResult = { ...completion, switchyard: callResultMeta(call, usage) };
    const kept = options.keepCompletion === true ? { completion } : {};
    return { ok: true, final: result, usage, ...kept };
  } catch (error) {
    call.callEndedAt = Date.now();
    return { ok: false, error, chunksSent: 0, streamedText: '' };
  }
}
