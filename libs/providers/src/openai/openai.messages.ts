import type { ChatMessage, FunctionTool, ResponseFormat, ToolChoice } from '@switchyard/contracts';
import type {
  OpenAiImagePart,
  OpenAiMessage,
  OpenAiRefusalPart,
  OpenAiResponseFormat,
  OpenAiTextPart,
  OpenAiTool,
  OpenAiToolChoice,
} from './openai.wire';

/*
 * The request pieces in OpenAI's wire form, rebuilt field by field from the contract types so
 * that loose fields meant for other providers (an Anthropic `cache_control` on a content part)
 * never reach an OpenAI-compatible server.
 */

/** How messages are written for one provider. */
export interface MessageOptions {
  /** Whether `developer` messages are understood; if not, they are sent as `system`. */
  readonly developerRole: boolean;
  /** Whether `name` on messages is accepted; if not, it is left out. */
  readonly names: boolean;
}

type TextContent = string | readonly { type: 'text'; text: string }[];

function textContent(content: TextContent): string | OpenAiTextPart[] {
  return typeof content === 'string'
    ? content
    : content.map((part) => ({ type: 'text', text: part.text }));
}

function withName<T extends object>(
  message: T,
  name: string | undefined,
  options: MessageOptions,
): T & { name?: string } {
  return options.names && name !== undefined ? { ...message, name } : message;
}

function userPart(
  part:
    { type: 'text'; text: string } | { type: 'image_url'; image_url: OpenAiImagePart['image_url'] },
): OpenAiTextPart | OpenAiImagePart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const { url, detail } = part.image_url;
  return { type: 'image_url', image_url: detail === undefined ? { url } : { url, detail } };
}

function assistantPart(
  part: { type: 'text'; text: string } | { type: 'refusal'; refusal: string },
): OpenAiTextPart | OpenAiRefusalPart {
  return part.type === 'text'
    ? { type: 'text', text: part.text }
    : { type: 'refusal', refusal: part.refusal };
}

/** One request message in OpenAI's wire form. */
export function messageToWire(message: ChatMessage, options: MessageOptions): OpenAiMessage {
  switch (message.role) {
    case 'system':
    case 'developer': {
      const role = message.role === 'developer' && !options.developerRole ? 'system' : message.role;
      return withName({ role, content: textContent(message.content) }, message.name, options);
    }
    case 'user':
      return withName(
        {
          role: 'user',
          content:
            typeof message.content === 'string' ? message.content : message.content.map(userPart),
        },
        message.name,
        options,
      );
    case 'assistant': {
      const wire: OpenAiMessage & { role: 'assistant' } = {
        role: 'assistant',
        content:
          message.content == null
            ? null
            : typeof message.content === 'string'
              ? message.content
              : message.content.map(assistantPart),
      };
      if (message.tool_calls !== undefined && message.tool_calls.length > 0) {
        wire.tool_calls = message.tool_calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: call.function.arguments },
        }));
      }
      if (typeof message.refusal === 'string') wire.refusal = message.refusal;
      return withName(wire, message.name, options);
    }
    case 'tool':
      return {
        role: 'tool',
        content: textContent(message.content),
        tool_call_id: message.tool_call_id,
      };
  }
}

/** Function tools in OpenAI's wire form; `strict` is kept unless `keepStrict` is false. */
export function toolsToWire(tools: readonly FunctionTool[], keepStrict = true): OpenAiTool[] {
  return tools.map(({ function: fn }) => ({
    type: 'function',
    function: {
      name: fn.name,
      ...(fn.description === undefined ? {} : { description: fn.description }),
      ...(fn.parameters === undefined ? {} : { parameters: fn.parameters }),
      ...(keepStrict && fn.strict != null ? { strict: fn.strict } : {}),
    },
  }));
}

/** `tool_choice` in OpenAI's wire form. */
export function toolChoiceToWire(choice: ToolChoice): OpenAiToolChoice {
  return typeof choice === 'string'
    ? choice
    : { type: 'function', function: { name: choice.function.name } };
}

/** `response_format` in OpenAI's wire form. */
export function responseFormatToWire(format: ResponseFormat): OpenAiResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: 'json_schema',
    json_schema: {
      name,
      ...(description === undefined ? {} : { description }),
      ...(schema === undefined ? {} : { schema }),
      ...(strict == null ? {} : { strict }),
    },
  };
}
