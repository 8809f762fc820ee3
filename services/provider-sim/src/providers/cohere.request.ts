import type { OutputFormat, SimRequest, ToolChoice } from '../engine';
import { asArray, asNumber, asString, isObject, type JsonObject } from '../json';
import type { PromptMessage, PromptPart, PromptTool } from '../prompt';
import { isErrorCase, type ErrorCase, type Route } from './provider';

/** The top-level fields of Cohere's v2 chat request (cohere-ai 8.1); others are refused. */
const knownFields = new Set([
  'model',
  'messages',
  'stream',
  'tools',
  'strict_tools',
  'documents',
  'citation_options',
  'response_format',
  'safety_mode',
  'max_tokens',
  'stop_sequences',
  'temperature',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'k',
  'p',
  'logprobs',
  'tool_choice',
  'thinking',
  'priority',
]);

const roles = new Set(['system', 'user', 'assistant', 'tool']);

function invalid(message: string): ErrorCase {
  return { kind: 'invalid_request', message: `invalid request: ${message}` };
}

function contentParts(content: unknown): { parts: PromptPart[]; text: string } {
  if (typeof content === 'string')
    return { parts: [{ kind: 'text', text: content }], text: content };
  const parts: PromptPart[] = [];
  const texts: string[] = [];
  for (const item of asArray(content) ?? []) {
    if (!isObject(item)) continue;
    if (item['type'] === 'text') {
      const text = asString(item['text']) ?? '';
      parts.push({ kind: 'text', text });
      texts.push(text);
    } else if (item['type'] === 'image_url') {
      parts.push({ kind: 'image' });
    } else if (item['type'] === 'document') {
      parts.push({ kind: 'text', text: JSON.stringify(item['document'] ?? {}) });
    }
  }
  return { parts, text: texts.join('\n') };
}

function assistantParts(message: JsonObject): PromptPart[] {
  const parts: PromptPart[] = [];
  const plan = asString(message['tool_plan']);
  if (plan) parts.push({ kind: 'text', text: plan });
  if (message['content'] !== undefined) parts.push(...contentParts(message['content']).parts);
  for (const call of asArray(message['tool_calls']) ?? []) {
    if (!isObject(call) || !isObject(call['function'])) continue;
    parts.push({
      kind: 'tool_call',
      name: asString(call['function']['name']) ?? '',
      arguments: asString(call['function']['arguments']) ?? '{}',
    });
  }
  return parts;
}

function readTools(value: unknown): PromptTool[] | ErrorCase {
  const tools: PromptTool[] = [];
  for (const [i, tool] of (asArray(value) ?? []).entries()) {
    if (!isObject(tool) || tool['type'] !== 'function' || !isObject(tool['function'])) {
      return invalid(`tools[${i}]: a tool must be {type: "function", function: {...}}`);
    }
    const name = asString(tool['function']['name']);
    if (name === undefined || name === '') return invalid(`tools[${i}].function.name is required`);
    const description = asString(tool['function']['description']);
    tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      schema: tool['function']['parameters'] ?? {},
    });
  }
  return tools;
}

function readToolChoice(value: unknown, tools: readonly PromptTool[]): ToolChoice | ErrorCase {
  if (value === undefined) return { mode: tools.length > 0 ? 'auto' : 'none' };
  if (value !== 'REQUIRED' && value !== 'NONE') {
    return invalid(`tool_choice must be one of REQUIRED, NONE - received ${JSON.stringify(value)}`);
  }
  if (tools.length === 0) return invalid('tool_choice can only be specified with tools');
  return { mode: value === 'REQUIRED' ? 'required' : 'none' };
}

function readOutput(value: unknown): OutputFormat | ErrorCase {
  if (value === undefined || (isObject(value) && value['type'] === 'text')) return { kind: 'text' };
  if (!isObject(value) || value['type'] !== 'json_object') {
    return invalid('response_format.type must be one of text, json_object');
  }
  const schema = value['json_schema'] ?? value['schema'];
  return schema === undefined ? { kind: 'json_object' } : { kind: 'json_schema', schema };
}

/**
 * Reads a Cohere `/v2/chat` body into a {@link SimRequest}, refusing what Cohere refuses:
 * unknown fields, a missing model or messages, bad roles, a tool_choice other than REQUIRED /
 * NONE or without tools, a response_format other than text / json_object. A tool call is
 * preceded by a tool plan, as Cohere's models write one.
 */
export function parseCohereRequest(body: unknown, route: Route): SimRequest | ErrorCase {
  if (!isObject(body)) return invalid('the request body must be a JSON object');
  for (const key of Object.keys(body)) {
    if (!knownFields.has(key))
      return invalid(`unknown field: parameter ${key} is not a valid field`);
  }
  const model = asString(body['model']);
  if (model === undefined || model === '') return invalid('model must be specified');
  const list = asArray(body['messages']);
  if (list === undefined || list.length === 0) return invalid('messages must not be empty');
  const messages: PromptMessage[] = [];
  let lastUserText = '';
  let endsWithUserTurn = false;
  for (const [i, message] of list.entries()) {
    if (!isObject(message)) return invalid(`messages[${i}] must be an object`);
    const role = asString(message['role']) ?? '';
    if (!roles.has(role)) {
      return invalid(`messages[${i}].role must be one of system, user, assistant, tool`);
    }
    if (role === 'assistant') {
      messages.push({ role: 'assistant', parts: assistantParts(message) });
    } else {
      if (message['content'] === undefined) return invalid(`messages[${i}].content is required`);
      const read = contentParts(message['content']);
      messages.push({
        role: role as 'system' | 'user' | 'tool',
        parts: role === 'tool' ? [{ kind: 'tool_result', text: read.text }] : read.parts,
      });
      if (role === 'user' && read.text !== '') lastUserText = read.text;
    }
    endsWithUserTurn = role === 'user';
  }
  const tools = readTools(body['tools']);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = readToolChoice(body['tool_choice'], tools);
  if (isErrorCase(toolChoice)) return toolChoice;
  const output = readOutput(body['response_format']);
  if (isErrorCase(output)) return output;
  const stop = asArray(body['stop_sequences']) ?? [];
  if (!stop.every((item) => typeof item === 'string')) {
    return invalid('stop_sequences must be a list of strings');
  }
  const maxTokens = asNumber(body['max_tokens']);
  return {
    provider: route.provider,
    model,
    stream: body['stream'] === true,
    prompt: { tools, messages },
    lastUserText,
    endsWithUserTurn,
    toolChoice,
    toolPreamble: true,
    output,
    n: 1,
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    stop,
    includeUsage: true,
  };
}
