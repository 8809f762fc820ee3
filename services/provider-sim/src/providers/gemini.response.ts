import type { SimChoice, SimFinish } from '../engine';
import type { ServedUsage } from '../stats';
import { groupPieces } from '../tokens';
import type { AnswerContext, BlockedAnswer, StreamFrame } from './provider';

const finishReasons: Record<SimFinish, string> = {
  stop: 'STOP',
  stop_sequence: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
};

/**
 * Gemini's usageMetadata. `promptTokenCount` includes `cachedContentTokenCount` (present only
 * when something was read from the cache).
 */
export function geminiUsage(
  usage: ServedUsage,
  candidatesTokens: number | undefined,
): Record<string, unknown> {
  return {
    promptTokenCount: usage.promptTokens,
    ...(candidatesTokens !== undefined ? { candidatesTokenCount: candidatesTokens } : {}),
    totalTokenCount: usage.promptTokens + (candidatesTokens ?? 0),
    ...(usage.cachedTokens > 0 ? { cachedContentTokenCount: usage.cachedTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.promptTokens }],
    ...(usage.cachedTokens > 0
      ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: usage.cachedTokens }] }
      : {}),
  };
}

function fullParts(choice: SimChoice): Record<string, unknown>[] {
  if (choice.toolCall !== undefined) {
    return [
      {
        functionCall: {
          name: choice.toolCall.name,
          args: JSON.parse(choice.toolCall.arguments) as unknown,
        },
      },
    ];
  }
  return [{ text: choice.text?.text ?? '' }];
}

function envelope(context: AnswerContext, candidates: unknown[], candidatesTokens: number): string {
  return JSON.stringify({
    candidates,
    usageMetadata: geminiUsage(context.usage, candidatesTokens),
    modelVersion: context.request.model,
    responseId: context.id,
  });
}

/** The non-streaming GenerateContentResponse. */
export function geminiBody(context: AnswerContext): string {
  const candidates = context.choices.map((choice) => ({
    content: { parts: fullParts(choice), role: 'model' },
    finishReason: finishReasons[choice.finish],
    index: choice.index,
  }));
  return envelope(context, candidates, context.usage.completionTokens);
}

function frameText(context: AnswerContext, payload: string): string {
  return context.route.sse === false ? payload : `data: ${payload}\r\n\r\n`;
}

/** Frames of the JSON-array form (no `alt=sse`): `[`, then objects separated by `,\r\n`, then `]`. */
function asArrayStream(frames: StreamFrame[]): StreamFrame[] {
  return frames.map((frame, i) => ({
    text: `${i === 0 ? '[' : ',\r\n'}${frame.text}${i === frames.length - 1 ? ']' : ''}`,
    tokens: frame.tokens,
  }));
}

/**
 * The stream (`alt=sse`: `data: {…}\r\n\r\n` events, no end marker): one GenerateContentResponse
 * per step holding each unfinished candidate's next `chunkTokens` tokens, usageMetadata with
 * the candidates' tokens so far, and finishReason on a candidate's last chunk. A function call
 * comes whole in one chunk. Without `alt=sse` the same objects form one JSON array.
 */
export function geminiFrames(context: AnswerContext): StreamFrame[] {
  const perChoice = context.choices.map((choice) =>
    choice.toolCall !== undefined
      ? []
      : groupPieces(choice.text?.pieces ?? [], context.chunkTokens),
  );
  const steps = Math.max(1, ...perChoice.map((groups) => groups.length));
  const payloads: StreamFrame[] = [];
  let served = 0;
  for (let step = 0; step < steps; step++) {
    const candidates: unknown[] = [];
    let tokens = 0;
    context.choices.forEach((choice, i) => {
      const groups = perChoice[i] ?? [];
      const last = Math.max(groups.length - 1, 0);
      if (step > last) return;
      const group = groups[step];
      const parts =
        choice.toolCall !== undefined ? fullParts(choice) : [{ text: group?.text ?? '' }];
      const chunkTokens =
        choice.toolCall !== undefined ? choice.completionTokens : (group?.tokens ?? 0);
      served += chunkTokens;
      tokens = Math.max(tokens, chunkTokens);
      candidates.push({
        content: { parts, role: 'model' },
        ...(step === last ? { finishReason: finishReasons[choice.finish] } : {}),
        index: choice.index,
      });
    });
    const done = step === steps - 1;
    payloads.push({
      text: envelope(context, candidates, done ? context.usage.completionTokens : served),
      tokens,
    });
  }
  const framed = payloads.map((frame) => ({
    text: frameText(context, frame.text),
    tokens: frame.tokens,
  }));
  return context.route.sse === false ? asArrayStream(framed) : framed;
}

/**
 * A blocked prompt: HTTP 200 with `promptFeedback.blockReason: "SAFETY"`, its safety ratings,
 * no candidates, and usage of the prompt only.
 */
export function geminiBlocked(context: AnswerContext): BlockedAnswer {
  const body = JSON.stringify({
    promptFeedback: {
      blockReason: 'SAFETY',
      safetyRatings: [
        { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
        { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
        { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
        { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
      ],
    },
    usageMetadata: geminiUsage({ ...context.usage, cachedTokens: 0 }, undefined),
    modelVersion: context.request.model,
    responseId: context.id,
  });
  const frame = frameText(context, body);
  return {
    body,
    frames: [{ text: context.route.sse === false ? `[${frame}]` : frame, tokens: 0 }],
  };
}
