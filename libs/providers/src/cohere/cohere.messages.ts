import type { AssistantMessage, ChatMessage, TextContentPart } from '@switchyard/contracts';
import { cohereInvalidRequest } from './cohere.errors';
import type { CohereImageContent, CohereMessage, CohereTextContent } from './cohere.types';

type TextContent = string | readonly TextContentPart[];

function joinText(content: TextContent): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

/** The text of an assistant message: its content parts (refusals included) or its refusal. */
function assistantText(message: AssistantMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (content) {
    return content.map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
  }
  return typeof message.refusal === 'string' ? message.refusal : '';
}

function assistantMessage(message: AssistantMessage): CohereMessage | undefined {
  const text = assistantText(message);
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) {
    return text === '' ? undefined : { role: 'assistant', content: text };
  }
  return {
    role: 'assistant',
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: {
        name: call.function.name,
        arguments: call.function.arguments.trim() === '' ? '{}' : call.function.arguments,
      },
    })),
    ...(text === '' ? {} : { tool_plan: text }),
  };
}

function userContent(
  message: Extract<ChatMessage, { role: 'user' }>,
  index: number,
): string | (CohereTextContent | CohereImageContent)[] {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part, j): CohereTextContent | CohereImageContent => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const url = part.image_url.url;
    if (!/^(?:data:|https?:\/\/)/i.test(url)) {
      throw cohereInvalidRequest(
        'Cohere takes images as data: URLs or http(s):// URLs',
        `messages[${index}].content[${j}].image_url.url`,
      );
    }
    const detail = part.image_url.detail;
    return { type: 'image_url', image_url: { url, ...(detail ? { detail } : {}) } };
  });
}

/**
 * OpenAI messages as Cohere v2 messages, in order. System and developer messages become
 * `system` messages; user messages keep their text and image parts (`image_url`, data: or
 * http(s) URLs); assistant messages keep their text, or, when they called tools, carry the
 * calls (ids and JSON arguments as they are) with their text as the `tool_plan`; tool messages
 * become `tool` messages answering `tool_call_id`. An assistant message with neither text nor
 * calls is left out (Cohere refuses empty turns).
 */
export function toCohereMessages(messages: readonly ChatMessage[]): CohereMessage[] {
  const out: CohereMessage[] = [];
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: joinText(message.content) });
        break;
      case 'user':
        out.push({ role: 'user', content: userContent(message, index) });
        break;
      case 'assistant': {
        const translated = assistantMessage(message);
        if (translated) out.push(translated);
        break;
      }
      case 'tool':
        out.push({
          role: 'tool',
          tool_call_id: message.tool_call_id,
          content: joinText(message.content),
        });
        break;
    }
  });
  if (!out.some((message) => message.role !== 'system')) {
    throw cohereInvalidRequest(
      'Cohere needs at least one user message besides system messages',
      'messages',
    );
  }
  return out;
}
