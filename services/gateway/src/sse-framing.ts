import type { CompletionChunk } from '@switchyard/contracts';
import type { OpenAiErrorBody } from './openai-error';

/** The last event of a stream that ended well. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** One server-sent event carrying a JSON value, in OpenAI's framing. */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The event that reports an error after the stream started; the stream ends after it. */
export function sseError(body: OpenAiErrorBody): string {
  return sseData(body);
}

/**
 * The OpenAI chunks for one Switchyard chunk. Every chunk loses its per-chunk `switchyard`
 * block; with `include_usage`, each carries `usage: null` and the final one is followed by
 * the usage chunk (`choices: []`, `usage`, and the `switchyard` block saying how the job was
 * served), as OpenAI sends it. Without it no usage is sent. A final chunk without choices
 * becomes only the usage chunk (or nothing).
 */
export function openAiChunks(chunk: CompletionChunk, includeUsage: boolean): object[] {
  const { switchyard: meta, usage, choices, ...head } = chunk;
  const withChoices = { ...head, choices, ...(includeUsage ? { usage: null } : {}) };
  if (!meta.final) return [withChoices];
  const out: object[] = choices.length > 0 ? [withChoices] : [];
  if (includeUsage) out.push({ ...head, choices: [], usage, switchyard: meta });
  return out;
}
