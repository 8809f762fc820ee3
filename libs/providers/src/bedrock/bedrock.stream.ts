import { randomUUID } from 'node:crypto';
import type { ChunkChoice, CompletionUsage, FinishReason } from '@switchyard/contracts';
import type { z } from 'zod';
import type {
  AdapterContext,
  ProviderChunk,
  SseEvent,
  StreamDecoder,
  StreamSummary,
} from '../adapter';
import { ProviderError } from '../provider-error';
import { toCompletionUsage, toFinishReason } from './bedrock.answer';
import { BEDROCK_PROVIDER, bedrockError, bedrockMalformed } from './bedrock.errors';
import { JSON_RESPONSE_TOOL_NAME } from './bedrock.tools';
import {
  bedrockErrorBodySchema,
  contentBlockDeltaSchema,
  contentBlockStartSchema,
  messageStopSchema,
  streamMetadataSchema,
} from './bedrock.types';

/** What a content block of the stream carries: text, a caller's tool call, or JSON-mode output. */
type Block = { kind: 'text' } | { kind: 'tool'; toolIndex: number } | { kind: 'json' };

function parseData(event: SseEvent): unknown {
  try {
    return JSON.parse(event.data) as unknown;
  } catch (error) {
    throw bedrockMalformed(`a ${event.event ?? 'stream'} event that is not JSON`, undefined, error);
  }
}

function read<T extends z.ZodType>(schema: T, event: SseEvent): z.infer<T> {
  const parsed = schema.safeParse(parseData(event));
  if (!parsed.success) {
    throw bedrockMalformed(`an unreadable ${event.event ?? 'stream'} event`, parsed.error.issues);
  }
  return parsed.data;
}

/** `throttlingException` → `ThrottlingException`, the class name errors are keyed by. */
function className(exceptionType: string): string {
  return exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
}

/**
 * Decodes ConverseStream, whose binary event-stream frames the stream layer hands over as
 * `{event: <:event-type>, data: <payload JSON>}` (exception frames as `{event:
 * <:exception-type>}`, see eventstream/event-stream-reader.ts). `messageStart` sends the role;
 * `contentBlockDelta` text becomes content, a `toolUse` block becomes a tool call (id and name
 * from `contentBlockStart`, then its input JSON piece by piece as arguments), the JSON-mode
 * tool's input becomes content; `messageStop` sends the finish reason; `metadata` holds the
 * usage. The stream is complete once both `messageStop` and `metadata` arrived. An exception
 * event throws its classified error (throttlingException → rate_limit, …).
 */
export class BedrockStreamDecoder implements StreamDecoder {
  private readonly id = `chatcmpl-${randomUUID()}`;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly blocks = new Map<number, Block>();
  private nextToolIndex = 0;
  private roleSent = false;
  private finishReason: FinishReason | undefined;
  private usage: CompletionUsage | undefined;

  constructor(private readonly context: AdapterContext) {}

  push(event: SseEvent): ProviderChunk[] {
    const name = event.event ?? '';
    if (name.endsWith('Exception')) throw this.exception(name, event);
    switch (name) {
      case 'messageStart':
        return [this.chunk({ content: '' })];
      case 'contentBlockStart':
        return this.blockStart(read(contentBlockStartSchema, event));
      case 'contentBlockDelta':
        return this.blockDelta(read(contentBlockDeltaSchema, event));
      case 'messageStop': {
        const { stopReason } = read(messageStopSchema, event);
        this.finishReason = toFinishReason(stopReason, this.nextToolIndex > 0);
        return [this.chunk({}, this.finishReason)];
      }
      case 'metadata':
        this.usage = toCompletionUsage(read(streamMetadataSchema, event).usage);
        return [];
      default:
        return [];
    }
  }

  end(): StreamSummary {
    if (this.finishReason === undefined || this.usage === undefined) {
      throw new ProviderError(
        'connection',
        'stream_cut',
        `the Bedrock stream ended before its ${this.finishReason === undefined ? 'messageStop' : 'metadata'} event`,
        { provider: BEDROCK_PROVIDER },
      );
    }
    return { usage: this.usage, finishReason: this.finishReason };
  }

  private exception(name: string, event: SseEvent): ProviderError {
    let message = `Bedrock sent ${name} in the stream`;
    try {
      const body = bedrockErrorBodySchema.safeParse(JSON.parse(event.data));
      if (body.success) message = body.data.message ?? body.data.Message ?? message;
    } catch {
      // the class alone decides
    }
    return bedrockError(className(name), message);
  }

  private blockStart(start: z.infer<typeof contentBlockStartSchema>): ProviderChunk[] {
    const use = start.start?.toolUse;
    if (use === undefined) {
      this.blocks.set(start.contentBlockIndex, { kind: 'text' });
      return [];
    }
    if (use.name === JSON_RESPONSE_TOOL_NAME) {
      this.blocks.set(start.contentBlockIndex, { kind: 'json' });
      return [];
    }
    const toolIndex = this.nextToolIndex++;
    this.blocks.set(start.contentBlockIndex, { kind: 'tool', toolIndex });
    return [
      this.chunk({
        tool_calls: [
          {
            index: toolIndex,
            id: use.toolUseId,
            type: 'function',
            function: { name: use.name, arguments: '' },
          },
        ],
      }),
    ];
  }

  private blockDelta(delta: z.infer<typeof contentBlockDeltaSchema>): ProviderChunk[] {
    const block = this.blocks.get(delta.contentBlockIndex) ?? { kind: 'text' };
    const text = delta.delta.text;
    if (text !== undefined) return text === '' ? [] : [this.chunk({ content: text })];
    const input = delta.delta.toolUse?.input;
    if (input === undefined || input === '') return [];
    if (block.kind === 'json') return [this.chunk({ content: input })];
    if (block.kind !== 'tool') {
      throw bedrockMalformed('tool input for a content block that did not start as a tool call');
    }
    return [
      this.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: input } }] }),
    ];
  }

  private chunk(
    delta: ChunkChoice['delta'],
    finishReason: FinishReason | null = null,
  ): ProviderChunk {
    const role = this.roleSent ? {} : { role: 'assistant' as const };
    this.roleSent = true;
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.context.deployment.providerModel,
      choices: [
        { index: 0, delta: { ...role, ...delta }, finish_reason: finishReason, logprobs: null },
      ],
    };
  }
}
