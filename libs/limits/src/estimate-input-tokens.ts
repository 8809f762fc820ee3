import {
  embeddingInputs,
  isEmbeddingsRequest,
  type ChatCompletionRequest,
  type ChatMessage,
  type EmbeddingsRequest,
  type JobRequest,
} from '@switchyard/contracts';
import { countTokens, tokenEncodingFor, type TokenizerTarget } from './token-encoding';

/** Characters per token of English text and JSON in OpenAI's tokenizers, on average. */
export const charactersPerToken = 4;
/** Tokens every message costs besides its text (role and separators, as in OpenAI's cookbook). */
export const tokensPerMessage = 3;
/** Tokens a message's `name` costs besides its text (OpenAI's cookbook). */
export const tokensPerName = 1;
/** Tokens that prime the reply (`<|start|>assistant<|message|>`). */
export const replyPrimingTokens = 3;
/** An image at `detail: low`: OpenAI's fixed base cost. */
export const lowDetailImageTokens = 85;
/** Any other image, counted as 1024×1024 at high detail: 4 tiles of 170 plus 85. */
export const imageTokens = 765;

type ContentPart = {
  type: string;
  text?: string;
  refusal?: string;
  image_url?: { detail?: string };
};

/** What a prompt is made of: text the provider tokenizes, and tokens with a fixed cost. */
interface PromptPieces {
  texts: string[];
  fixedTokens: number;
}

function contentParts(message: ChatMessage): readonly ContentPart[] {
  const { content } = message;
  if (content == null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content;
}

function addMessage(pieces: PromptPieces, message: ChatMessage): void {
  pieces.fixedTokens += tokensPerMessage;
  pieces.texts.push(message.role);
  const name: unknown = (message as { name?: unknown }).name;
  if (typeof name === 'string') {
    pieces.texts.push(name);
    pieces.fixedTokens += tokensPerName;
  }
  for (const part of contentParts(message)) {
    if (part.type === 'image_url') {
      pieces.fixedTokens += part.image_url?.detail === 'low' ? lowDetailImageTokens : imageTokens;
    } else {
      pieces.texts.push(part.text ?? part.refusal ?? '');
    }
  }
  if (message.role === 'assistant') {
    if (message.refusal) pieces.texts.push(message.refusal);
    for (const call of message.tool_calls ?? []) {
      pieces.texts.push(call.function.name, call.function.arguments);
    }
  }
  if (message.role === 'tool') pieces.texts.push(message.tool_call_id);
}

/** The request split into text and fixed costs: messages, tool definitions, response format. */
function promptPieces(request: ChatCompletionRequest): PromptPieces {
  const pieces: PromptPieces = { texts: [], fixedTokens: replyPrimingTokens };
  for (const message of request.messages) addMessage(pieces, message);
  for (const tool of request.tools ?? []) pieces.texts.push(JSON.stringify(tool.function));
  if (typeof request.tool_choice === 'object') {
    pieces.texts.push(JSON.stringify(request.tool_choice));
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') pieces.texts.push(JSON.stringify(format.json_schema));
  return pieces;
}

/** An embeddings request's inputs: texts to tokenize, token-id lists counted by length. */
function embeddingPieces(request: EmbeddingsRequest): PromptPieces {
  const pieces: PromptPieces = { texts: [], fixedTokens: 0 };
  for (const input of embeddingInputs(request.input)) {
    if (typeof input === 'string') pieces.texts.push(input);
    else pieces.fixedTokens += input.length;
  }
  return pieces;
}

/**
 * An estimate of the prompt tokens of `request` on `target` (a deployment), made before the
 * call for tpm and budget reservations and pre-call context-window checks (the provider's
 * usage corrects reservations afterwards).
 *
 * For an OpenAI model (see `tokenEncodingFor`) the text is counted with its real tokenizer
 * (o200k_base or cl100k_base): each message's role, name, content parts, refusal, tool-call
 * names and arguments and tool-call id, plus 3 tokens per message, 1 per name and 3 priming
 * the reply, as OpenAI's cookbook counts chat messages. Tool definitions, a named tool choice
 * and a `json_schema` response format are counted as their JSON (OpenAI renders them in its own
 * syntax, so this is close, not exact). Images cost 85 tokens at `detail: low`, else 765.
 *
 * For any other model (and without a target) it is the documented approximation: the same
 * pieces, but ⌈characters / 4⌉ over all the text. Close for English and JSON, low for CJK text.
 *
 * An embeddings request counts its input texts the same way, with no per-message cost, and an
 * input given as token ids counts its ids.
 */
export function estimateInputTokens(request: JobRequest, target?: TokenizerTarget): number {
  const { texts, fixedTokens } = isEmbeddingsRequest(request)
    ? embeddingPieces(request)
    : promptPieces(request);
  const encoding = tokenEncodingFor(target);
  if (encoding === undefined) {
    const characters = texts.reduce((sum, text) => sum + text.length, 0);
    return fixedTokens + Math.ceil(characters / charactersPerToken);
  }
  return texts.reduce((sum, text) => sum + countTokens(encoding, text), fixedTokens);
}

/**
 * The tokens of a piece of generated text on a deployment: its tokenizer's count for OpenAI
 * models, else ⌈characters / 4⌉ (as for prompts). Used to bill what a stream that was cut or
 * cancelled had produced, when the provider never reported usage.
 */
export function estimateTextTokens(text: string, target?: TokenizerTarget): number {
  const encoding = tokenEncodingFor(target);
  return encoding === undefined
    ? Math.ceil(text.length / charactersPerToken)
    : countTokens(encoding, text);
}
