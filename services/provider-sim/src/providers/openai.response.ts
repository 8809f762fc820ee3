import type { SimChoice, SimFinish } from '../engine';
import type { ServedUsage } from '../stats';
import { groupPieces } from '../tokens';
import { azurePassedFilter } from './openai.errors';
import type { AnswerContext, StreamFrame } from './provider';

const finishReasons: Record<SimFinish, string> = {
  stop: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
};

/** The `system_fingerprint` of every simulated response. */
export const SYSTEM_FINGERPRINT = 'fp_provider_sim';

/** OpenAI's usage object for served figures. */
export function openAiUsage(usage: ServedUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCalls(choice: SimChoice): Record<string, unknown>[] | undefined {
  if (choice.toolCall === undefined) return undefined;
  return [
    {
      id: choice.toolCall.id,
      type: 'function',
      function: { name: choice.toolCall.name, arguments: choice.toolCall.arguments },
    },
  ];
}

function isAzure(context: AnswerContext): boolean {
  return context.route.provider === 'azure';
}

/** The non-streaming `chat.completion` body (Azure adds its content-filter annotations). */
export function openAiBody(context: AnswerContext): string {
  const azure = isAzure(context);
  const choices = context.choices.map((choice) => {
    const calls = toolCalls(choice);
    return {
      index: choice.index,
      message: {
        role: 'assistant',
        content: calls !== undefined ? null : (choice.text?.text ?? ''),
        refusal: null,
        annotations: [],
        ...(calls !== undefined ? { tool_calls: calls } : {}),
      },
      logprobs: null,
      finish_reason: finishReasons[choice.finish],
      ...(azure ? { content_filter_results: azurePassedFilter } : {}),
    };
  });
  return JSON.stringify({
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.request.model,
    choices,
    usage: openAiUsage(context.usage),
    ...(azure
      ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: azurePassedFilter }] }
      : { service_tier: 'default' }),
    system_fingerprint: SYSTEM_FINGERPRINT,
  });
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * The stream: a first chunk per choice with the role (and, for a tool call, the call's id and
 * name), content or argument chunks of `chunkTokens` tokens, a chunk per choice with its
 * finish_reason, the usage chunk (`choices: []`) when `stream_options.include_usage`, then
 * `data: [DONE]`. Azure first sends its prompt_filter_results chunk.
 */
export function openAiFrames(context: AnswerContext): StreamFrame[] {
  const { request } = context;
  const frames: StreamFrame[] = [];
  const chunk = (
    choices: unknown[],
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: request.model,
    ...(isAzure(context) ? {} : { service_tier: 'default' }),
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    ...(request.includeUsage ? { usage: null } : {}),
    ...extra,
  });
  if (isAzure(context)) {
    frames.push({
      text: data({
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: azurePassedFilter }],
      }),
      tokens: 0,
    });
  }
  for (const choice of context.choices) {
    const call = choice.toolCall;
    const delta =
      call !== undefined
        ? {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                index: 0,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: '' },
              },
            ],
            refusal: null,
          }
        : { role: 'assistant', content: '', refusal: null };
    frames.push({
      text: data(chunk([{ index: choice.index, delta, logprobs: null, finish_reason: null }])),
      tokens: 0,
    });
  }
  const perChoice = context.choices.map((choice) =>
    groupPieces(choice.toolCall?.argumentPieces ?? choice.text?.pieces ?? [], context.chunkTokens),
  );
  const steps = Math.max(0, ...perChoice.map((list) => list.length));
  for (let step = 0; step < steps; step++) {
    let timed = false;
    context.choices.forEach((choice, i) => {
      const group = perChoice[i]?.[step];
      if (group === undefined) return;
      const delta =
        choice.toolCall !== undefined
          ? { tool_calls: [{ index: 0, function: { arguments: group.text } }] }
          : { content: group.text };
      frames.push({
        text: data(chunk([{ index: choice.index, delta, logprobs: null, finish_reason: null }])),
        tokens: timed ? 0 : group.tokens,
      });
      timed = true;
    });
  }
  for (const choice of context.choices) {
    frames.push({
      text: data(
        chunk([
          {
            index: choice.index,
            delta: {},
            logprobs: null,
            finish_reason: finishReasons[choice.finish],
          },
        ]),
      ),
      tokens: 0,
    });
  }
  if (request.includeUsage) {
    frames.push({ text: data(chunk([], { usage: openAiUsage(context.usage) })), tokens: 0 });
  }
  frames.push({ text: 'data: [DONE]\n\n', tokens: 0 });
  return frames;
}
