import type {
  AssistantMessage,
  ChatMessage,
  ImageContentPart,
  TextContentPart,
  ToolMessage,
} from '@switchyard/contracts';
import { geminiInvalidRequest } from './gemini.errors';
import { thoughtSignatureOf } from './gemini.tool-call-id';
import type {
  GeminiContent,
  GeminiFunctionCallPart,
  GeminiRequestPart,
  GeminiTextPart,
  JsonObject,
} from './gemini.types';

/**
 * The signature Google documents for function calls the model did not produce itself (history
 * from another model, or built by hand): it tells Gemini 3 to skip signature validation.
 */
export const FOREIGN_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** The conversation in Gemini's shape. */
export interface GeminiConversation {
  systemInstruction?: { parts: GeminiTextPart[] };
  contents: GeminiContent[];
}

export interface ContentsOptions {
  /**
   * Give the first function call of each model turn {@link FOREIGN_THOUGHT_SIGNATURE} when its
   * tool call id carries no signature (for Gemini 3 models, which reject such calls).
   */
  signForeignCalls: boolean;
}

const imageMimeTypes: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  gif: 'image/gif',
};

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type TextContent = string | readonly TextContentPart[];

function joinText(content: TextContent): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function textParts(text: string): GeminiTextPart[] {
  return text === '' ? [] : [{ text }];
}

/** The MIME type of an image URL, from its file extension; `image/jpeg` when it has none known. */
function imageMimeType(path: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (extension !== undefined ? imageMimeTypes[extension] : undefined) ?? 'image/jpeg';
}

/**
 * An OpenAI image part as a Gemini part: a base64 `data:` URL becomes `inlineData`; an
 * `http(s)://` URL (which Gemini fetches itself) or a `gs://` URI becomes `fileData`, its MIME
 * type taken from the file extension.
 */
function imagePart(part: ImageContentPart, param: string): GeminiRequestPart {
  const url = part.image_url.url;
  if (url.startsWith('data:')) {
    const match = /^data:([^;,]+)((?:;[^;,]*)*);base64,(.*)$/s.exec(url);
    if (!match?.[1] || match[3] === undefined) {
      throw geminiInvalidRequest(
        'an image data URL must be base64: data:<mime>;base64,<data>',
        param,
      );
    }
    return { inlineData: { mimeType: match[1], data: match[3] } };
  }
  if (/^https?:\/\//i.test(url)) {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      throw geminiInvalidRequest(`"${url}" is not a valid image URL`, param);
    }
    return { fileData: { mimeType: imageMimeType(pathname), fileUri: url } };
  }
  if (url.startsWith('gs://')) {
    return { fileData: { mimeType: imageMimeType(url), fileUri: url } };
  }
  throw geminiInvalidRequest(
    'Gemini takes images as base64 data: URLs, http(s):// URLs or gs:// URIs',
    param,
  );
}

function functionCallArgs(text: string, param: string): JsonObject {
  if (text.trim() === '') return {};
  let args: unknown;
  try {
    args = JSON.parse(text) as unknown;
  } catch {
    throw geminiInvalidRequest('tool call arguments must be JSON text', param);
  }
  if (!isRecord(args))
    throw geminiInvalidRequest('tool call arguments must be a JSON object', param);
  return args;
}

function assistantParts(
  message: AssistantMessage,
  index: number,
  options: ContentsOptions,
): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  const content = message.content;
  if (typeof content === 'string') parts.push(...textParts(content));
  else if (content) {
    for (const part of content) {
      parts.push(...textParts(part.type === 'text' ? part.text : part.refusal));
    }
  } else if (typeof message.refusal === 'string') {
    parts.push(...textParts(message.refusal));
  }

  const calls: GeminiFunctionCallPart[] = (message.tool_calls ?? []).map((call, j) => {
    const signature = thoughtSignatureOf(call.id);
    return {
      functionCall: {
        name: call.function.name,
        args: functionCallArgs(
          call.function.arguments,
          `messages[${index}].tool_calls[${j}].function.arguments`,
        ),
      },
      ...(signature === undefined ? {} : { thoughtSignature: signature }),
    };
  });
  const first = calls[0];
  if (options.signForeignCalls && first && first.thoughtSignature === undefined) {
    first.thoughtSignature = FOREIGN_THOUGHT_SIGNATURE;
  }
  return [...parts, ...calls];
}

/** The name of the function a tool message answers: the nearest earlier call with its id. */
function calledFunctionName(
  messages: readonly ChatMessage[],
  message: ToolMessage,
  index: number,
): string {
  for (let i = index - 1; i >= 0; i--) {
    const earlier = messages[i];
    if (earlier?.role !== 'assistant') continue;
    const call = earlier.tool_calls?.find((candidate) => candidate.id === message.tool_call_id);
    if (call) return call.function.name;
  }
  throw geminiInvalidRequest(
    `no earlier assistant message has a tool call with id "${message.tool_call_id}"`,
    `messages[${index}].tool_call_id`,
  );
}

/** A tool's output as a `functionResponse.response` object: JSON objects as they are, else `{result}`. */
function functionResponse(text: string): JsonObject {
  try {
    const value = JSON.parse(text) as unknown;
    return isRecord(value) ? value : { result: value };
  } catch {
    return { result: text };
  }
}

function userParts(message: Extract<ChatMessage, { role: 'user' }>, index: number) {
  if (typeof message.content === 'string') return textParts(message.content);
  return message.content.flatMap((part, j): GeminiRequestPart[] =>
    part.type === 'text'
      ? textParts(part.text)
      : [imagePart(part, `messages[${index}].content[${j}].image_url.url`)],
  );
}

/**
 * OpenAI messages as Gemini's `systemInstruction` and `contents`. System and developer
 * messages, wherever they stand, become `systemInstruction` parts in order. User messages
 * become `user` turns; assistant messages `model` turns (text, then one `functionCall` per tool
 * call, with the thought signature its id carries); tool messages `user` turns of
 * `functionResponse` parts, named after the call they answer. Consecutive turns of one role
 * are merged into one, so parallel calls are answered in one turn. Empty text is left out, and
 * a message left with no parts is dropped.
 */
export function toGeminiConversation(
  messages: readonly ChatMessage[],
  options: ContentsOptions,
): GeminiConversation {
  const system: GeminiTextPart[] = [];
  const contents: GeminiContent[] = [];
  const append = (role: GeminiContent['role'], parts: GeminiRequestPart[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        if (typeof message.content === 'string') system.push(...textParts(message.content));
        else system.push(...message.content.flatMap((part) => textParts(part.text)));
        break;
      case 'user':
        append('user', userParts(message, index));
        break;
      case 'assistant':
        append('model', assistantParts(message, index, options));
        break;
      case 'tool':
        append('user', [
          {
            functionResponse: {
              name: calledFunctionName(messages, message, index),
              response: functionResponse(joinText(message.content)),
            },
          },
        ]);
        break;
    }
  });

  if (contents.length === 0) {
    throw geminiInvalidRequest(
      'Gemini needs at least one user or assistant message with content besides system messages',
      'messages',
    );
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}
