import type { ChunkChoice, FinishReason } from '@switchyard/contracts';
import type { ProviderChunk, SseEvent, StreamDecoder, StreamSummary } from '../adapter';
import { ProviderError } from '../provider-error';
import { ANTHROPIC_PROVIDER, JSON_RESPONSE_TOOL_NAME } from './anthropic.constants';
import { anthropicErrorFromObject, malformedResponse } from './anthropic.errors';
import { toFinishReason } from './anthropic.finish-reason';
import {
  anthropicStreamEventSchema,
  knownStreamEventTypes,
  type AnthropicStreamEvent,
  type AnthropicStreamUsage,
} from './anthropic.schemas';
import { toCompletionUsage, type AnthropicTokenCounts } from './anthropic.usage';

/** What the decoder knows of one content block, by the block's `index`. */
type BlockState =
  | { kind: 'text' }
  | { kind: 'tool'; toolIndex: number; sentArguments: boolean }
  | { kind: 'json'; sentContent: boolean }
  | { kind: 'other' };

type Delta = ChunkChoice['delta'];
type EventOf<T extends AnthropicStreamEvent['type']> = Extract<AnthropicStreamEvent, { type: T }>;

function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw malformedResponse('a stream event whose data is not JSON');
  }
}

function eventType(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('type' in data)) return undefined;
  return typeof data.type === 'string' ? data.type : undefined;
}

/**
 * Decodes one Anthropic Messages stream into OpenAI chunks.
 *
 * - `message_start` gives the id, model and first usage, and yields the first chunk, with
 *   `delta.role: 'assistant'`.
 * - `content_block_start` of a `tool_use` block yields a tool_calls delta (OpenAI index = the
 *   count of tool calls before it, id, type, name, arguments ''); `text_delta` yields content;
 *   `input_json_delta` yields the tool call's arguments; a tool call that streamed no input gets
 *   arguments `{}` at its `content_block_stop`.
 * - JSON mode: the JSON-mode tool's `input_json_delta` pieces are content deltas instead.
 * - Thinking, signature and citation deltas, server-tool blocks and `ping` yield nothing; event
 *   types Anthropic adds later are skipped.
 * - `message_delta` yields a chunk with the finish_reason (once) and updates usage (its counts
 *   are cumulative); `message_stop` marks the stream complete, and nothing after it is read.
 * - An `error` event throws the ProviderError it describes (e.g. overloaded_error → overloaded).
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private meta: { id: string; model: string; created: number } | undefined;
  private readonly blocks = new Map<number, BlockState>();
  private toolCalls = 0;
  private stopReason: string | undefined;
  private finishSent = false;
  private complete = false;
  private readonly counts: AnthropicTokenCounts = {
    input: 0,
    cacheCreation: 0,
    cacheRead: 0,
    output: 0,
    thinking: 0,
  };

  /** @param now the clock for chunks' `created` (Anthropic sends no timestamp). */
  constructor(private readonly now: () => number = Date.now) {}

  push(event: SseEvent): ProviderChunk[] {
    if (this.complete || event.data.trim() === '') return [];
    const data = parseData(event.data);
    const type = eventType(data);
    if (type !== undefined && !knownStreamEventTypes.has(type)) return [];
    const parsed = anthropicStreamEventSchema.safeParse(data);
    if (!parsed.success) {
      throw malformedResponse(
        `a stream event it cannot read (${type ?? 'no type'})`,
        parsed.error.issues,
      );
    }
    const streamEvent = parsed.data;
    switch (streamEvent.type) {
      case 'error':
        throw anthropicErrorFromObject(streamEvent.error);
      case 'ping':
        return [];
      case 'message_start':
        return this.start(streamEvent);
      case 'content_block_start':
        return this.startBlock(streamEvent);
      case 'content_block_delta':
        return this.blockDelta(streamEvent);
      case 'content_block_stop':
        return this.stopBlock(streamEvent);
      case 'message_delta':
        return this.messageDelta(streamEvent);
      case 'message_stop':
        this.requireStart('message_stop');
        this.complete = true;
        return [];
    }
  }

  end(): StreamSummary {
    if (!this.complete) {
      const message = 'the Anthropic stream ended before message_stop';
      throw new ProviderError('connection', 'stream_cut', message, {
        provider: ANTHROPIC_PROVIDER,
      });
    }
    return { usage: toCompletionUsage(this.counts), finishReason: this.finishReason() };
  }

  private finishReason(): FinishReason {
    return toFinishReason(this.stopReason, this.toolCalls > 0);
  }

  private requireStart(type: string): { id: string; model: string; created: number } {
    if (this.meta === undefined) throw malformedResponse(`${type} before message_start`);
    return this.meta;
  }

  private chunk(delta: Delta, finishReason: FinishReason | null = null): ProviderChunk {
    const { id, model, created } = this.requireStart('content');
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }

  private updateUsage(usage: AnthropicStreamUsage | null | undefined): void {
    if (usage == null) return;
    if (usage.input_tokens != null) this.counts.input = usage.input_tokens;
    if (usage.cache_creation_input_tokens != null) {
      this.counts.cacheCreation = usage.cache_creation_input_tokens;
    }
    if (usage.cache_read_input_tokens != null)
      this.counts.cacheRead = usage.cache_read_input_tokens;
    if (usage.output_tokens != null) this.counts.output = usage.output_tokens;
    const thinking = usage.output_tokens_details?.thinking_tokens;
    if (thinking != null) this.counts.thinking = thinking;
  }

  private start(event: EventOf<'message_start'>): ProviderChunk[] {
    if (this.meta !== undefined) throw malformedResponse('a second message_start');
    const { id, model, usage } = event.message;
    this.meta = { id, model, created: Math.floor(this.now() / 1000) };
    this.updateUsage(usage);
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private startBlock(event: EventOf<'content_block_start'>): ProviderChunk[] {
    this.requireStart('content_block_start');
    const block = event.content_block;
    if (block.type === 'text') {
      this.blocks.set(event.index, { kind: 'text' });
      const text = typeof block['text'] === 'string' ? block['text'] : '';
      return text === '' ? [] : [this.chunk({ content: text })];
    }
    if (block.type !== 'tool_use') {
      this.blocks.set(event.index, { kind: 'other' });
      return [];
    }
    if (block.name === JSON_RESPONSE_TOOL_NAME) {
      this.blocks.set(event.index, { kind: 'json', sentContent: false });
      return [];
    }
    if (
      block.id === undefined ||
      block.name === undefined ||
      block.id === '' ||
      block.name === ''
    ) {
      throw malformedResponse(`a tool_use block without id or name at index ${event.index}`);
    }
    const toolIndex = this.toolCalls++;
    this.blocks.set(event.index, { kind: 'tool', toolIndex, sentArguments: false });
    return [
      this.chunk({
        tool_calls: [
          {
            index: toolIndex,
            id: block.id,
            type: 'function',
            function: { name: block.name, arguments: '' },
          },
        ],
      }),
    ];
  }

  private block(index: number, type: string): BlockState {
    const state = this.blocks.get(index);
    if (state === undefined)
      throw malformedResponse(`${type} for content block ${index}, which never started`);
    return state;
  }

  private blockDelta(event: EventOf<'content_block_delta'>): ProviderChunk[] {
    this.requireStart('content_block_delta');
    const state = this.block(event.index, 'content_block_delta');
    const { delta } = event;
    if (state.kind === 'text' && delta.type === 'text_delta') {
      return delta.text === undefined || delta.text === ''
        ? []
        : [this.chunk({ content: delta.text })];
    }
    if (
      delta.type !== 'input_json_delta' ||
      delta.partial_json === undefined ||
      delta.partial_json === ''
    ) {
      return [];
    }
    if (state.kind === 'json') {
      state.sentContent = true;
      return [this.chunk({ content: delta.partial_json })];
    }
    if (state.kind === 'tool') {
      state.sentArguments = true;
      return [
        this.chunk({
          tool_calls: [{ index: state.toolIndex, function: { arguments: delta.partial_json } }],
        }),
      ];
    }
    return [];
  }

  private stopBlock(event: EventOf<'content_block_stop'>): ProviderChunk[] {
    this.requireStart('content_block_stop');
    const state = this.block(event.index, 'content_block_stop');
    if (state.kind === 'tool' && !state.sentArguments) {
      state.sentArguments = true;
      return [
        this.chunk({ tool_calls: [{ index: state.toolIndex, function: { arguments: '{}' } }] }),
      ];
    }
    if (state.kind === 'json' && !state.sentContent) {
      state.sentContent = true;
      return [this.chunk({ content: '{}' })];
    }
    return [];
  }

  private messageDelta(event: EventOf<'message_delta'>): ProviderChunk[] {
    this.requireStart('message_delta');
    this.updateUsage(event.usage);
    const { stop_reason: stopReason, stop_details: stopDetails } = event.delta;
    if (stopReason == null) return [];
    this.stopReason = stopReason;
    if (this.finishSent) return [];
    this.finishSent = true;
    const explanation = stopReason === 'refusal' ? stopDetails?.explanation : undefined;
    return [
      this.chunk(
        typeof explanation === 'string' ? { refusal: explanation } : {},
        this.finishReason(),
      ),
    ];
  }
}
