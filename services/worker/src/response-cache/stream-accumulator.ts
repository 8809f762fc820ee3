import type { CompletionUsage, ResultChoice, ToolCall } from '@switchyard/contracts';
import type { ProviderChunk } from '@switchyard/providers';
import type { CachedAnswer } from './cached-answer';

type Completion = Extract<CachedAnswer['completion'], { object: 'chat.completion' }>;

interface ChoiceDraft {
  content: string | null;
  refusal: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: ResultChoice['finish_reason'] | null;
}

/**
 * Puts a streamed answer back together as the whole completion it stands for (content and
 * refusal concatenated, tool calls merged by index), so a streamed answer can be cached and
 * later served to a request that does not stream.
 */
export class StreamAccumulator {
  private readonly choices = new Map<number, ChoiceDraft>();
  private first: ProviderChunk | undefined;

  add(chunk: ProviderChunk): void {
    this.first ??= chunk;
    for (const { index, delta, finish_reason } of chunk.choices) {
      let draft = this.choices.get(index);
      if (draft === undefined) {
        draft = { content: null, refusal: null, toolCalls: [], finishReason: null };
        this.choices.set(index, draft);
      }
      if (delta.content != null) draft.content = (draft.content ?? '') + delta.content;
      if (delta.refusal != null) draft.refusal = (draft.refusal ?? '') + delta.refusal;
      for (const call of delta.tool_calls ?? []) {
        const merged = (draft.toolCalls[call.index] ??= { id: '', name: '', arguments: '' });
        if (call.id !== undefined) merged.id = call.id;
        merged.name += call.function?.name ?? '';
        merged.arguments += call.function?.arguments ?? '';
      }
      if (finish_reason !== null) draft.finishReason = finish_reason;
    }
  }

  /** The whole completion, or undefined when the stream had no chunk or a choice never finished. */
  completion(model: string, usage: CompletionUsage): Completion | undefined {
    const first = this.first;
    if (first === undefined) return undefined;
    const choices: ResultChoice[] = [];
    for (const [index, draft] of [...this.choices].sort(([a], [b]) => a - b)) {
      if (draft.finishReason === null) return undefined;
      const toolCalls: ToolCall[] = draft.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
      choices.push({
        index,
        message: {
          role: 'assistant',
          content: draft.content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(draft.refusal === null ? {} : { refusal: draft.refusal }),
        },
        finish_reason: draft.finishReason,
      });
    }
    return {
      id: first.id,
      object: 'chat.completion',
      created: first.created,
      model,
      choices,
      usage,
      ...(first.system_fingerprint == null ? {} : { system_fingerprint: first.system_fingerprint }),
    };
  }
}
