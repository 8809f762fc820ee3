import { randomUUID } from 'node:crypto';
import type { ChunkChoice, FinishReason, ToolCallDelta } from '@switchyard/contracts';
import type { ProviderChunk, SseEvent, StreamDecoder, StreamSummary } from '../adapter';
import { bodyExcerpt } from '../http/response-body';
import { ProviderError } from '../provider-error';
import type { OpenAiCompatibleProvider } from './openai-compatible.types';
import { classifyOpenAiError, readOpenAiErrorJson } from './openai.errors';
import { argumentsText, contractLogprobs, schemaProblem } from './openai.response';
import { normalizeFinishReason, normalizeUsage, zeroUsage } from './openai.usage';
import {
  openAiChunkSchema,
  type OpenAiChunkChoice,
  type OpenAiToolCallWire,
  type OpenAiUsage,
} from './openai.wire';

const DONE = '[DONE]';

function toolCallDeltas(calls: readonly OpenAiToolCallWire[]): ToolCallDelta[] {
  return calls.map((call, position) => {
    const name = call.function?.name;
    const args = call.function?.arguments;
    const fn =
      name == null && args == null
        ? undefined
        : {
            ...(name == null ? {} : { name }),
            ...(args == null ? {} : { arguments: argumentsText(args) }),
          };
    return {
      index: call.index ?? position,
      ...(call.id == null || call.id === '' ? {} : { id: call.id }),
      ...(call.type === 'function' ? { type: 'function' as const } : {}),
      ...(fn === undefined ? {} : { function: fn }),
    };
  });
}

/**
 * Decodes an OpenAI-family stream: `data: {chunk}` events up to `data: [DONE]`. Chunks come
 * out in the OpenAI shape without usage (the provider's usage, from the usage-only last chunk,
 * from any chunk that carries it, or from Groq's `x_groq.usage`, is kept for `end`). An
 * `error` object inside the stream is classified and thrown. An empty finish reason (xAI) is
 * no finish reason; `end` reports `tool_calls` for a choice that called tools without one.
 */
export class OpenAiStreamDecoder implements StreamDecoder {
  private done = false;
  private usage: OpenAiUsage | undefined;
  private readonly finishByChoice = new Map<number, FinishReason>();
  private readonly calledTools = new Set<number>();
  private streamId: string | undefined;
  private created: number | undefined;
  private model: string | undefined;

  constructor(
    private readonly config: OpenAiCompatibleProvider,
    private readonly providerModel: string,
  ) {}

  push(event: SseEvent): ProviderChunk[] {
    const data = event.data.trim();
    if (data === DONE) {
      this.done = true;
      return [];
    }
    if (this.done || data === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (error) {
      throw new ProviderError(
        'server',
        'malformed_response',
        `a stream event is not JSON: ${bodyExcerpt(data)}`,
        { provider: this.config.name, cause: error },
      );
    }
    const record =
      typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    if (event.event === 'error' || record.error != null) {
      const info = readOpenAiErrorJson(json, 'the provider reported an error in the stream') ?? {
        message: bodyExcerpt(data),
      };
      throw classifyOpenAiError(this.config.name, undefined, info, {});
    }
    const parsed = openAiChunkSchema.safeParse(json);
    if (!parsed.success) {
      throw new ProviderError(
        'server',
        'malformed_response',
        `a stream event is not a chat completion chunk (${schemaProblem(parsed.error)})`,
        { provider: this.config.name, cause: parsed.error },
      );
    }
    const chunk = parsed.data;
    const usage = chunk.usage ?? chunk.x_groq?.usage;
    if (usage != null) this.usage = usage;
    if (chunk.id != null && chunk.id !== '') this.streamId ??= chunk.id;
    if (chunk.created != null && chunk.created > 0) this.created ??= Math.floor(chunk.created);
    if (chunk.model != null && chunk.model !== '') this.model ??= chunk.model;

    const choices = (chunk.choices ?? []).map((choice, position) => this.choice(choice, position));
    if (choices.length === 0) return [];
    return [
      {
        id: (this.streamId ??= `chatcmpl-${randomUUID()}`),
        object: 'chat.completion.chunk',
        created: this.created ?? Math.floor(Date.now() / 1000),
        model: this.model ?? this.providerModel,
        choices,
        ...(chunk.system_fingerprint == null
          ? {}
          : { system_fingerprint: chunk.system_fingerprint }),
      },
    ];
  }

  private choice(choice: OpenAiChunkChoice, position: number): ChunkChoice {
    const index = choice.index ?? position;
    const delta = choice.delta ?? {};
    const calls = delta.tool_calls == null ? [] : toolCallDeltas(delta.tool_calls);
    if (calls.length > 0) this.calledTools.add(index);
    let finish: FinishReason | null = null;
    if (choice.finish_reason != null && choice.finish_reason !== '') {
      finish = normalizeFinishReason(choice.finish_reason, this.calledTools.has(index));
      this.finishByChoice.set(index, finish);
    }
    const logprobs = contractLogprobs(choice.logprobs);
    return {
      index,
      delta: {
        ...(delta.role === 'assistant' ? { role: 'assistant' as const } : {}),
        ...(delta.content == null ? {} : { content: delta.content }),
        ...(calls.length === 0 ? {} : { tool_calls: calls }),
        ...(delta.refusal == null ? {} : { refusal: delta.refusal }),
      },
      finish_reason: finish,
      ...(logprobs === undefined ? {} : { logprobs }),
    };
  }

  /** Whether the provider said the stream is complete. */
  private get complete(): boolean {
    if (this.done) return true;
    return this.config.streamEnd === 'done_or_finish' && this.finishByChoice.size > 0;
  }

  end(): StreamSummary {
    if (!this.complete) {
      throw new ProviderError(
        'connection',
        'stream_cut',
        'the stream ended before the provider said it was complete',
        { provider: this.config.name },
      );
    }
    return {
      usage: this.usage === undefined ? zeroUsage : normalizeUsage(this.usage),
      finishReason:
        this.finishByChoice.get(0) ?? normalizeFinishReason(null, this.calledTools.has(0)),
    };
  }
}
