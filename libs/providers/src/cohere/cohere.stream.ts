import type { ChunkChoice, FinishReason } from '@switchyard/contracts';
import type {
  AdapterContext,
  ProviderChunk,
  SseEvent,
  StreamDecoder,
  StreamSummary,
} from '../adapter';
import { ProviderError } from '../provider-error';
import { responseIdOf, toCompletionUsage, toFinishReason, toToolCall } from './cohere.answer';
import { COHERE_PROVIDER } from './cohere.constants';
import { cohereMalformed } from './cohere.errors';
import {
  cohereStreamContentSchema,
  cohereStreamEventSchema,
  cohereStreamToolCallSchema,
  type CohereStreamEvent,
  type CohereUsage,
} from './cohere.types';

type Delta = ChunkChoice['delta'];

/** `delta.message.content` of a content event, when it is one content object. */
function contentOf(event: CohereStreamEvent) {
  const parsed = cohereStreamContentSchema.safeParse(event.delta?.message?.content);
  return parsed.success ? parsed.data : undefined;
}

/** `delta.message.tool_calls` of a tool-call event, when it is one call. */
function toolCallOf(event: CohereStreamEvent) {
  const parsed = cohereStreamToolCallSchema.safeParse(event.delta?.message?.tool_calls);
  return parsed.success ? parsed.data : undefined;
}

function parseEvent(event: SseEvent): CohereStreamEvent | undefined {
  const data = event.data.trim();
  if (data === '' || data === '[DONE]') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(data) as unknown;
  } catch (error) {
    throw cohereMalformed('Cohere sent a stream event that is not JSON', error);
  }
  if (typeof json === 'object' && json !== null && !('type' in json) && event.event) {
    json = { type: event.event, ...json };
  }
  const parsed = cohereStreamEventSchema.safeParse(json);
  if (!parsed.success)
    throw cohereMalformed('Cohere sent an unreadable stream event', parsed.error);
  return parsed.data;
}

/**
 * Decodes a `/v2/chat` stream (SSE, one typed JSON event per `data:` line, `[DONE]` ignored)
 * into OpenAI chunks of choice 0: `message-start` → the role; `content-delta` text and
 * `tool-plan-delta` text → content (thinking content left out); `tool-call-start` → a tool
 * call with its id, name and first arguments; `tool-call-delta` → more arguments of that call;
 * `message-end` → the finish reason (usage kept for the summary). The stream is complete at
 * `message-end`; one with finish reason ERROR or TIMEOUT throws the generation failure.
 * Citation, debug and other events are skipped.
 */
export class CohereStreamDecoder implements StreamDecoder {
  private id: string | undefined;
  private readonly created = Math.floor(Date.now() / 1000);
  private roleSent = false;
  private readonly textBlocks = new Set<number>();
  /** OpenAI tool-call index per Cohere tool-call index. */
  private readonly toolIndexes = new Map<number, number>();
  private usage: CohereUsage | undefined;
  private finishReason: FinishReason | undefined;

  constructor(private readonly context: AdapterContext) {}

  push(event: SseEvent): ProviderChunk[] {
    const parsed = parseEvent(event);
    if (parsed === undefined) return [];
    const delta = this.deltaOf(parsed);
    if (delta === undefined) return [];
    return [this.chunk(delta.delta, delta.finishReason ?? null)];
  }

  end(): StreamSummary {
    if (this.finishReason === undefined) {
      throw new ProviderError(
        'connection',
        'stream_cut',
        'the Cohere stream ended before its message-end event',
        { provider: COHERE_PROVIDER },
      );
    }
    return { usage: toCompletionUsage(this.usage), finishReason: this.finishReason };
  }

  private deltaOf(
    event: CohereStreamEvent,
  ): { delta: Delta; finishReason?: FinishReason } | undefined {
    const index = event.index ?? 0;
    switch (event.type) {
      case 'message-start':
        this.id ??= responseIdOf(event.id);
        return this.roleSent ? undefined : { delta: {} };
      case 'content-start': {
        const content = contentOf(event);
        const type = content?.type ?? 'text';
        if (type === 'text') this.textBlocks.add(index);
        const text = type === 'text' ? content?.text : undefined;
        return text ? { delta: { content: text } } : undefined;
      }
      case 'content-delta': {
        const text = contentOf(event)?.text;
        if (!this.textBlocks.has(index) || !text) return undefined;
        return { delta: { content: text } };
      }
      case 'tool-plan-delta': {
        const plan = event.delta?.message?.tool_plan;
        return typeof plan === 'string' && plan !== '' ? { delta: { content: plan } } : undefined;
      }
      case 'tool-call-start': {
        const call = toolCallOf(event);
        if (!call) throw cohereMalformed('Cohere sent a tool-call-start event without a tool call');
        const openAiIndex = this.toolIndexes.size;
        this.toolIndexes.set(index, openAiIndex);
        return { delta: { tool_calls: [{ index: openAiIndex, ...toToolCall(call) }] } };
      }
      case 'tool-call-delta': {
        const args = toolCallOf(event)?.function?.arguments;
        const openAiIndex = this.toolIndexes.get(index);
        if (!args || openAiIndex === undefined) return undefined;
        return { delta: { tool_calls: [{ index: openAiIndex, function: { arguments: args } }] } };
      }
      case 'message-end': {
        if (event.delta?.usage) this.usage = event.delta.usage;
        const finishReason = toFinishReason(
          event.delta?.finish_reason,
          this.toolIndexes.size > 0,
          event.delta?.error ?? undefined,
        );
        this.finishReason = finishReason;
        return { delta: {}, finishReason };
      }
      default:
        return undefined;
    }
  }

  private chunk(delta: Delta, finishReason: FinishReason | null): ProviderChunk {
    const withRole: Delta = this.roleSent ? delta : { role: 'assistant', ...delta };
    this.roleSent = true;
    return {
      id: (this.id ??= responseIdOf(undefined)),
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.context.deployment.providerModel,
      choices: [{ index: 0, delta: withRole, finish_reason: finishReason }],
    };
  }
}
