/**
 * Gemini's function calls carry no id the OpenAI shape can use, and Gemini 3 models require
 * each call's `thoughtSignature` to be sent back with the conversation. So a tool call id is
 * `call_<responseId>_<n>` (n counts the response's calls from 0), followed by
 * `__thought__<signature>` when the call came with a signature — the convention LiteLLM uses,
 * so histories move between the two. Clients send the id back unchanged in `tool_calls` and
 * `tool_call_id`, and the signature returns to Gemini with the call.
 */
export const THOUGHT_SIGNATURE_SEPARATOR = '__thought__';

/** The id of the `index`-th function call of the response `responseId`. */
export function geminiToolCallId(responseId: string, index: number, signature?: string): string {
  const base = `call_${responseId}_${index}`;
  return signature ? `${base}${THOUGHT_SIGNATURE_SEPARATOR}${signature}` : base;
}

/** The thought signature carried by a tool call id, if it carries one. */
export function thoughtSignatureOf(toolCallId: string): string | undefined {
  const at = toolCallId.indexOf(THOUGHT_SIGNATURE_SEPARATOR);
  if (at === -1) return undefined;
  const signature = toolCallId.slice(at + THOUGHT_SIGNATURE_SEPARATOR.length);
  return signature === '' ? undefined : signature;
}
