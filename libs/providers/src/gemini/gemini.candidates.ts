import { randomUUID } from 'node:crypto';
import type {
  ChoiceLogprobs,
  CompletionUsage,
  FinishReason,
  TokenLogprob,
  ToolCall,
} from '@switchyard/contracts';
import { ProviderError } from '../provider-error';
import { GEMINI_PROVIDER, snakeCode } from './gemini.errors';
import { geminiToolCallId } from './gemini.tool-call-id';
import type {
  GeminiCandidate,
  GeminiLogprobsResult,
  GeminiResponsePart,
  GeminiUsageMetadata,
  GenerateContentResponse,
} from './gemini.types';

/**
 * Finish reasons meaning a filter withheld (part of) the answer: safety categories, blocklists,
 * prohibited content, personal data (SPII) and recitation of training data. They become
 * `content_filter`; when no candidate has any content left, the call fails with content_policy.
 */
const filteredReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * OpenAI's finish reason for a Gemini one: STOP → `stop` (`tool_calls` when the candidate called
 * functions), MAX_TOKENS and CONTINUATION → `length`, the filter reasons → `content_filter`;
 * every other reason (LANGUAGE, MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL,
 * TOO_MANY_TOOL_CALLS, OTHER, unspecified or unknown) → `stop`, or `tool_calls` when the
 * candidate called functions.
 */
export function toFinishReason(reason: string | undefined, calledTools: boolean): FinishReason {
  if (reason === 'MAX_TOKENS' || reason === 'CONTINUATION') return 'length';
  if (reason !== undefined && filteredReasons.has(reason)) return 'content_filter';
  return calledTools ? 'tool_calls' : 'stop';
}

/** The answer text of some parts: text parts joined, thoughts left out; undefined if none. */
export function answerText(parts: readonly GeminiResponsePart[]): string | undefined {
  const texts = parts
    .filter((part) => part.thought !== true && typeof part.text === 'string')
    .map((part) => part.text ?? '');
  return texts.length > 0 ? texts.join('') : undefined;
}

/** Numbers the function calls of one response, across candidates and stream events. */
export class ToolCallNumbering {
  private next = 0;

  constructor(private readonly responseId: string) {}

  /** The function calls among some parts, as OpenAI tool calls with ids (see gemini.tool-call-id). */
  toolCalls(parts: readonly GeminiResponsePart[]): ToolCall[] {
    const calls: ToolCall[] = [];
    for (const part of parts) {
      if (!part.functionCall) continue;
      calls.push({
        id: geminiToolCallId(this.responseId, this.next++, part.thoughtSignature),
        type: 'function',
        function: {
          name: part.functionCall.name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
        },
      });
    }
    return calls;
  }
}

/** The id of a response: Gemini's `responseId`, else a generated one. */
export function responseIdOf(response: GenerateContentResponse): string {
  return response.responseId ?? randomUUID().replaceAll('-', '');
}

/** Epoch seconds of a response: its `createTime` when present, else now. */
export function createdOf(response: GenerateContentResponse): number {
  const at = response.createTime === undefined ? Number.NaN : Date.parse(response.createTime);
  return Math.floor((Number.isNaN(at) ? Date.now() : at) / 1000);
}

/**
 * OpenAI usage for Gemini's `usageMetadata`. prompt_tokens = promptTokenCount (which includes
 * cached tokens) + toolUsePromptTokenCount; completion_tokens = candidatesTokenCount +
 * thoughtsTokenCount, since thinking is billed as output (as LiteLLM counts it) — unless the
 * counts show candidatesTokenCount already includes the thoughts (prompt + candidates =
 * total); total_tokens = totalTokenCount. cached_tokens = cachedContentTokenCount and
 * reasoning_tokens = thoughtsTokenCount, when Gemini reports them.
 */
export function toUsage(usage: GeminiUsageMetadata | undefined): CompletionUsage {
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const candidates = usage?.candidatesTokenCount ?? 0;
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const total = usage?.totalTokenCount;
  const thoughtsIncluded = thoughts > 0 && total !== undefined && prompt + candidates === total;
  const completion = thoughtsIncluded ? candidates : candidates + thoughts;
  const result: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: total ?? prompt + completion,
  };
  if (usage?.cachedContentTokenCount !== undefined) {
    result.prompt_tokens_details = { cached_tokens: usage.cachedContentTokenCount };
  }
  if (usage?.thoughtsTokenCount !== undefined) {
    result.completion_tokens_details = { reasoning_tokens: usage.thoughtsTokenCount };
  }
  return result;
}

const utf8 = new TextEncoder();

function tokenLogprob(candidate: { token?: string; logProbability?: number }) {
  const token = candidate.token ?? '';
  return { token, logprob: candidate.logProbability ?? 0, bytes: [...utf8.encode(token)] };
}

/** OpenAI logprobs for Gemini's `logprobsResult`: chosen tokens, each with its top candidates. */
export function toLogprobs(result: GeminiLogprobsResult): ChoiceLogprobs {
  const content: TokenLogprob[] = (result.chosenCandidates ?? []).map((chosen, i) => ({
    ...tokenLogprob(chosen),
    top_logprobs: (result.topCandidates?.[i]?.candidates ?? []).map(tokenLogprob),
  }));
  return { content };
}

/** Whether a candidate finished with nothing to show for a reason that makes the call fail. */
function failedEmpty(candidate: GeminiCandidate, hadContent: boolean): boolean {
  const reason = candidate.finishReason;
  return (
    !hadContent &&
    reason !== undefined &&
    (filteredReasons.has(reason) || reason === 'MALFORMED_FUNCTION_CALL')
  );
}

/**
 * The error for an answer with no content left, or undefined when some candidate has content
 * or no candidate failed that way. Every candidate must have ended with a filter reason (→
 * content_policy, code `response_blocked_<reason>`) or MALFORMED_FUNCTION_CALL (→ server,
 * retryable, code `malformed_function_call`) and produced no text and no function call.
 * Candidates that were cut by a filter after producing content are answers with finish reason
 * `content_filter`, not errors.
 */
export function emptyAnswerError(
  finished: readonly { candidate: GeminiCandidate; hadContent: boolean }[],
): ProviderError | undefined {
  if (finished.length === 0) return undefined;
  if (!finished.every(({ candidate, hadContent }) => failedEmpty(candidate, hadContent))) {
    return undefined;
  }
  const filtered = finished.find(
    ({ candidate }) => candidate.finishReason !== 'MALFORMED_FUNCTION_CALL',
  );
  if (filtered) {
    const reason = filtered.candidate.finishReason ?? 'SAFETY';
    return new ProviderError(
      'content_policy',
      `response_blocked_${snakeCode(reason)}`,
      filtered.candidate.finishMessage ?? `Gemini withheld the answer (finish reason ${reason})`,
      { provider: GEMINI_PROVIDER },
    );
  }
  return new ProviderError(
    'server',
    'malformed_function_call',
    finished[0]?.candidate.finishMessage ?? 'Gemini produced a malformed function call',
    { provider: GEMINI_PROVIDER },
  );
}

/**
 * The content_policy error for a prompt Gemini refused to answer (`promptFeedback.blockReason`
 * set, no candidates), with code `prompt_blocked_<reason>` (e.g. `prompt_blocked_safety`).
 */
export function promptBlockedError(
  feedback: NonNullable<GenerateContentResponse['promptFeedback']>,
): ProviderError {
  const reason = feedback.blockReason ?? 'BLOCKED_REASON_UNSPECIFIED';
  return new ProviderError(
    'content_policy',
    `prompt_blocked_${snakeCode(reason)}`,
    feedback.blockReasonMessage ?? `Gemini blocked the prompt (block reason ${reason})`,
    { provider: GEMINI_PROVIDER },
  );
}
