import type {
  AssistantMessage,
  ChatMessage,
  ImageContentPart,
  ToolMessage,
  UserMessage,
} from '@switchyard/contracts';
import { bedrockBadParameter } from './bedrock.errors';
import type {
  ConverseContentBlock,
  ConverseImageBlock,
  ConverseMessage,
  ConverseTextBlock,
  ConverseToolResultBlock,
  ConverseToolUseBlock,
} from './bedrock.types';

/** The conversation in Converse's shape: the system blocks and alternating turns. */
export interface ConverseConversation {
  system?: ConverseTextBlock[];
  messages: ConverseMessage[];
}

const dataUrl = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const imageFormats = { png: 'png', jpeg: 'jpeg', jpg: 'jpeg', gif: 'gif', webp: 'webp' } as const;

/** Text parts as blocks; empty text is left out (Converse refuses blank text blocks). */
function textBlocks(content: string | readonly { text: string }[]): ConverseTextBlock[] {
  const texts = typeof content === 'string' ? [content] : content.map((part) => part.text);
  return texts.filter((text) => text.trim() !== '').map((text) => ({ text }));
}

/**
 * The image block for an `image_url` part. Converse takes the image's bytes only, so the URL
 * must be a base64 `data:` URL of a PNG, JPEG, GIF or WebP; anything else is a bad request.
 */
function imageBlock(part: ImageContentPart, param: string): ConverseImageBlock {
  const match = dataUrl.exec(part.image_url.url);
  const declared = match?.[1]?.toLowerCase().replace(/^image\//, '') ?? '';
  const format = Object.hasOwn(imageFormats, declared)
    ? imageFormats[declared as keyof typeof imageFormats]
    : undefined;
  if (match === null || format === undefined) {
    throw bedrockBadParameter(
      `${param}.image_url.url`,
      'invalid_value',
      'Bedrock takes images as base64 data: URLs of image/png, image/jpeg, image/gif or image/webp',
    );
  }
  const data = match[3] ?? '';
  if (!(match[2] ?? '').split(';').includes('base64') || data === '') {
    throw bedrockBadParameter(
      `${param}.image_url.url`,
      'invalid_value',
      'a data: image URL must carry base64 data (data:<type>;base64,<data>)',
    );
  }
  return { image: { format, source: { bytes: data } } };
}

function userBlocks(message: UserMessage, param: string): ConverseContentBlock[] {
  if (typeof message.content === 'string') return textBlocks(message.content);
  return message.content.flatMap((part, index): ConverseContentBlock[] =>
    part.type === 'text' ? textBlocks(part.text) : [imageBlock(part, `${param}.content[${index}]`)],
  );
}

/** The tool input object from a call's JSON `arguments` (empty text is `{}`). */
function toolInput(text: string, param: string): unknown {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bedrockBadParameter(param, 'invalid_value', `${param} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bedrockBadParameter(param, 'invalid_value', `${param} must be a JSON object for Bedrock`);
  }
  return value;
}

function assistantBlocks(message: AssistantMessage, param: string): ConverseContentBlock[] {
  const content = message.content ?? [];
  const texts =
    typeof content === 'string'
      ? textBlocks(content)
      : textBlocks(
          content.map((part) => ({ text: part.type === 'text' ? part.text : part.refusal })),
        );
  if (texts.length === 0 && typeof message.refusal === 'string') {
    texts.push(...textBlocks(message.refusal));
  }
  const calls = (message.tool_calls ?? []).map((call, index): ConverseToolUseBlock => ({
    toolUse: {
      toolUseId: call.id,
      name: call.function.name,
      input: toolInput(call.function.arguments, `${param}.tool_calls[${index}].function.arguments`),
    },
  }));
  return [...texts, ...calls];
}

/** A tool's answer: a JSON object as a `json` block, anything else as text. */
function toolResultBlock(message: ToolMessage): ConverseToolResultBlock {
  const text =
    typeof message.content === 'string'
      ? message.content
      : message.content.map((part) => part.text).join('');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  return {
    toolResult: {
      toolUseId: message.tool_call_id,
      content: [isObject ? { json } : { text: text === '' ? ' ' : text }],
    },
  };
}

/** Appends a turn, merging it into the previous one when both have the same role. */
function appendTurn(turns: ConverseMessage[], turn: ConverseMessage): void {
  if (turn.content.length === 0) return;
  const previous = turns.at(-1);
  if (previous?.role === turn.role) previous.content.push(...turn.content);
  else turns.push(turn);
}

/**
 * OpenAI messages as Converse's: `system` and `developer` messages → `system` text blocks (in
 * order, wherever they stand); user text and base64 images → a user turn; assistant text and
 * tool calls → an assistant turn (`toolUse` with the call's id, name and parsed arguments);
 * tool messages → `toolResult` blocks of a user turn (a JSON object answer as a `json` block,
 * anything else as text). Consecutive turns of one role are merged, since Converse requires
 * user and assistant turns to alternate. Blank text is left out.
 */
export function toConverseConversation(messages: readonly ChatMessage[]): ConverseConversation {
  const system: ConverseTextBlock[] = [];
  const turns: ConverseMessage[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(message.content));
        return;
      case 'user':
        appendTurn(turns, { role: 'user', content: userBlocks(message, param) });
        return;
      case 'assistant':
        appendTurn(turns, { role: 'assistant', content: assistantBlocks(message, param) });
        return;
      case 'tool':
        appendTurn(turns, { role: 'user', content: [toolResultBlock(message)] });
        return;
    }
  });
  return { ...(system.length > 0 ? { system } : {}), messages: turns };
}
