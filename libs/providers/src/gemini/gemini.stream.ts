import type { ChunkChoice, FinishReason, ToolCallDelta } from '@switchyard/contracts';
import type {
  AdapterContext,
  ProviderChunk,
  SseEvent,
  StreamDecoder,
  StreamSummary,
} from '../adapter';
import { ProviderError } from '../provider-error';
import {
  ToolCallNumbering,
  answerText,
  createdOf,
  emptyAnswerError,
  promptBlockedError,
  responseIdOf,
  toFinishReason,
  toLogprobs,
  toUsage,
} from './gemini.candidates';
import { GEMINI_PROVIDER, classifyGoogleStatus, geminiMalformed } from './gemini.errors';
import { readGenerateContentResponse } from './gemini.response';
import {
  googleRpcStatusSchema,
  type GeminiCandidate,
  type GeminiUsageMetadata,
  type GenerateContentResponse,
} from './gemini.types';

/** What the decoder knows about one choice (candidate) so far. */
interface ChoiceState {
  roleSent: boolean;
  hadContent: boolean;
  nextToolIndex: number;
  finishReason?: FinishReason;
  finishedCandidate?: GeminiCandidate;
}

/** The stream's identity, fixed by its first event. */
interface StreamIdentity {
  id: string;
  created: number;
  model: string;
  numbering: ToolCallNumbering;
}

function parseEventData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    throw geminiMalformed('Gemini sent a stream event that is not JSON', error);
  }
}

/**
 * Decodes `streamGenerateContent?alt=sse`: every `data:` event is a whole
 * GenerateContentResponse holding the next piece of each candidate; there is no `[DONE]`.
 * Each event becomes at most one chunk: per candidate, its new text (thoughts left out), its
 * function calls as complete tool_calls deltas, and its finish reason; the first delta of a
 * choice carries `role: 'assistant'`. usageMetadata is kept from the latest event that has it.
 * The stream is complete once every candidate seen has a `finishReason`. An `error` event
 * throws the classified error; a blocked prompt throws content_policy; a stream whose
 * candidates all end withheld with nothing sent throws as parseResponse does.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private identity: StreamIdentity | undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private usage: GeminiUsageMetadata | undefined;

  constructor(private readonly context: AdapterContext) {}

  push(event: SseEvent): ProviderChunk[] {
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return [];
    const json = parseEventData(data);
    if (typeof json === 'object' && json !== null && 'error' in json) {
      const status = googleRpcStatusSchema.safeParse(json.error);
      if (!status.success)
        throw geminiMalformed('Gemini sent an unreadable error event', status.error);
      throw classifyGoogleStatus(status.data.code ?? 500, status.data);
    }

    const response = readGenerateContentResponse(json);
    if (response.usageMetadata) this.usage = response.usageMetadata;
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason) {
      throw promptBlockedError(response.promptFeedback);
    }
    const identity = this.identify(response);

    const choices = candidates
      .map((candidate, position) => this.choiceDelta(identity, candidate, position))
      .filter((choice): choice is ChunkChoice => choice !== undefined);
    this.failIfWithheld();
    if (choices.length === 0) return [];
    return [
      {
        id: identity.id,
        object: 'chat.completion.chunk',
        created: identity.created,
        model: identity.model,
        choices,
      },
    ];
  }

  end(): StreamSummary {
    const states = [...this.choices.entries()].sort(([a], [b]) => a - b);
    const first = states[0]?.[1];
    if (first?.finishReason === undefined || states.some(([, state]) => !state.finishReason)) {
      throw new ProviderError(
        'connection',
        'stream_cut',
        'the Gemini stream ended before every candidate had a finish reason',
        { provider: GEMINI_PROVIDER },
      );
    }
    return { usage: toUsage(this.usage), finishReason: first.finishReason };
  }

  private identify(response: GenerateContentResponse): StreamIdentity {
    if (!this.identity) {
      const id = responseIdOf(response);
      this.identity = {
        id,
        created: createdOf(response),
        model: response.modelVersion ?? this.context.deployment.providerModel,
        numbering: new ToolCallNumbering(id),
      };
    }
    return this.identity;
  }

  private choiceDelta(
    identity: StreamIdentity,
    candidate: GeminiCandidate,
    position: number,
  ): ChunkChoice | undefined {
    const index = candidate.index ?? position;
    let state = this.choices.get(index);
    if (!state) {
      state = { roleSent: false, hadContent: false, nextToolIndex: 0 };
      this.choices.set(index, state);
    }

    const parts = candidate.content?.parts ?? [];
    const text = answerText(parts);
    const calls = identity.numbering.toolCalls(parts);
    const content = text !== undefined && text !== '' ? text : undefined;
    const toolCalls = calls.map((call): ToolCallDelta => ({
      index: state.nextToolIndex++,
      ...call,
    }));
    if (content !== undefined || toolCalls.length > 0) state.hadContent = true;

    let finishReason: FinishReason | null = null;
    if (candidate.finishReason !== undefined && state.finishReason === undefined) {
      finishReason = toFinishReason(candidate.finishReason, state.nextToolIndex > 0);
      state.finishReason = finishReason;
      state.finishedCandidate = candidate;
    }
    if (content === undefined && toolCalls.length === 0 && finishReason === null) return undefined;

    const delta: ChunkChoice['delta'] = state.roleSent ? {} : { role: 'assistant' };
    state.roleSent = true;
    if (content !== undefined) delta.content = content;
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    return {
      index,
      delta,
      finish_reason: finishReason,
      ...(candidate.logprobsResult ? { logprobs: toLogprobs(candidate.logprobsResult) } : {}),
    };
  }

  /** Throws once every choice has finished and none has anything to show (emptyAnswerError). */
  private failIfWithheld(): void {
    const states = [...this.choices.values()];
    if (states.length === 0 || states.some((state) => !state.finishedCandidate)) return;
    const failure = emptyAnswerError(
      states.map((state) => ({
        candidate: state.finishedCandidate ?? {},
        hadContent: state.hadContent,
      })),
    );
    if (failure) throw failure;
  }
}
