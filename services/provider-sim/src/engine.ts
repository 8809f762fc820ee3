import type { NeutralPrompt } from './prompt';
import { finishText, renderTokens, replyTokens, type FinishedText } from './reply';
import type { SimProviderName } from './scenario';
import { minimalInstance } from './schema-instance';
import { countTokens, splitPieces, tokenize } from './tokens';

/** How the caller lets the model use tools. */
export interface ToolChoice {
  /** `auto`: call when the last turn is the user's; `required`: always; `named`: that tool. */
  mode: 'auto' | 'none' | 'required' | 'named';
  name?: string;
  /** Gemini's allowedFunctionNames. */
  allowed?: readonly string[];
}

/** The output the caller asked for. */
export type OutputFormat =
  { kind: 'text' } | { kind: 'json_object' } | { kind: 'json_schema'; schema: unknown };

/** A provider request read into provider-neutral form. */
export interface SimRequest {
  provider: SimProviderName;
  model: string;
  stream: boolean;
  prompt: NeutralPrompt;
  /** The text of the last user message (tool results excluded). */
  lastUserText: string;
  /** Whether the conversation ends with a user turn that is not a tool result. */
  endsWithUserTurn: boolean;
  toolChoice: ToolChoice;
  /** Say a short sentence before a tool call (Anthropic with tool_choice auto). */
  toolPreamble: boolean;
  output: OutputFormat;
  /** Choices (OpenAI `n`, Gemini candidateCount). */
  n: number;
  maxTokens?: number;
  stop: readonly string[];
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Set for an embeddings request: the texts to embed and the vectors' dimensions. */
  embeddings?: { texts: string[]; dimensions: number; base64: boolean };
}

/** A tool call the simulated model makes. */
export interface SimToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text: a minimal instance of the tool's schema. */
  arguments: string;
  /** `arguments` cut into stream pieces. */
  argumentPieces: string[];
}

/** Why a choice ended, provider-neutral. */
export type SimFinish = 'stop' | 'length' | 'stop_sequence' | 'tool_calls';

/** One choice (OpenAI choice, Gemini candidate, the Anthropic message). */
export interface SimChoice {
  index: number;
  /** The text, or null when the choice is only a tool call. */
  text: FinishedText | null;
  toolCall?: SimToolCall;
  finish: SimFinish;
  stopSequence?: string;
  completionTokens: number;
}

/** The completion tokens of all choices (what usage reports and stats count). */
export function totalCompletionTokens(choices: readonly SimChoice[]): number {
  return choices.reduce((sum, choice) => sum + choice.completionTokens, 0);
}

function chosenTool(request: SimRequest): string | undefined {
  const tools = request.prompt.tools;
  const choice = request.toolChoice;
  if (tools.length === 0 || choice.mode === 'none') return undefined;
  if (choice.mode === 'named') return choice.name;
  if (choice.mode === 'auto' && !request.endsWithUserTurn) return undefined;
  const allowed = choice.allowed;
  const pick =
    allowed && allowed.length > 0 ? tools.find((t) => allowed.includes(t.name)) : tools[0];
  return pick?.name;
}

function outputPieces(
  request: SimRequest,
  index: number,
  replyLength: number,
  fillerSeed: number | undefined,
): string[] {
  const sentence = renderTokens(replyTokens(request.lastUserText, index, replyLength, fillerSeed));
  switch (request.output.kind) {
    case 'text':
      return sentence;
    case 'json_object':
      return splitPieces(JSON.stringify({ reply: sentence.join('') }));
    case 'json_schema':
      return splitPieces(JSON.stringify(minimalInstance(request.output.schema)));
  }
}

/**
 * The choices of the simulated model, deterministic in the request: a tool call when the tool
 * rules say so (arguments: a minimal instance of the tool's schema), otherwise the reply text
 * (or JSON for a JSON output format), cut by max_tokens and stop sequences. Tool calls are never
 * cut. `nextId` names tool calls. With `fillerSeed` (random replies) each text choice takes its
 * filler words from a seed it draws, so the text is no longer determined by the request.
 */
export function composeChoices(
  request: SimRequest,
  replyLength: number,
  nextId: () => string,
  fillerSeed?: () => number,
): SimChoice[] {
  const toolName = chosenTool(request);
  const tool = request.prompt.tools.find((t) => t.name === toolName);
  const choices: SimChoice[] = [];
  for (let index = 0; index < request.n; index++) {
    if (tool !== undefined) {
      const args = JSON.stringify(minimalInstance(tool.schema));
      const toolCall: SimToolCall = {
        id: nextId(),
        name: tool.name,
        arguments: args,
        argumentPieces: splitPieces(args),
      };
      const preamble = request.toolPreamble
        ? finishText(renderTokens(['I', 'will', 'use', ...tokenize(tool.name), 'tool', '.']), {})
        : null;
      choices.push({
        index,
        text: preamble,
        toolCall,
        finish: 'tool_calls',
        completionTokens: (preamble?.tokens ?? 0) + countTokens(tool.name) + countTokens(args),
      });
      continue;
    }
    const text = finishText(outputPieces(request, index, replyLength, fillerSeed?.()), {
      maxTokens: request.maxTokens,
      stop: request.stop,
    });
    choices.push({
      index,
      text,
      finish: text.finish,
      ...(text.stopSequence !== undefined ? { stopSequence: text.stopSequence } : {}),
      completionTokens: text.tokens,
    });
  }
  return choices;
}
