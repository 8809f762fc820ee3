import type { CompletionChunk, CompletionResult } from '@switchyard/contracts';

/**
 * A finished result as the one final chunk of a stream, for a streaming job answered with a
 * whole result (a cached answer): its choices become deltas, its metadata the final block.
 */
export function resultAsChunk(result: CompletionResult): CompletionChunk {
  return {
    id: result.id,
    object: 'chat.completion.chunk',
    created: result.created,
    model: result.model,
    choices: result.choices.map((choice) => ({
      index: choice.index,
      delta: {
        role: 'assistant',
        content: choice.message.content,
        ...(choice.message.tool_calls === undefined
          ? {}
          : {
              tool_calls: choice.message.tool_calls.map((call, index) => ({
                index,
                id: call.id,
                type: 'function' as const,
                function: { name: call.function.name, arguments: call.function.arguments },
              })),
            }),
        ...(choice.message.refusal == null ? {} : { refusal: choice.message.refusal }),
      },
      finish_reason: choice.finish_reason,
      logprobs: choice.logprobs,
    })),
    usage: result.usage,
    system_fingerprint: result.system_fingerprint,
    switchyard: { ...result.switchyard, seq: 0, generation: '0.0', final: true },
  };
}
