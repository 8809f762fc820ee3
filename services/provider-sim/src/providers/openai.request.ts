import type { OutputFormat, SimRequest, ToolChoice } from '../engine';
import { asArray, asNumber, asString, isObject, type JsonObject } from '../json';
import type { PromptMessage, PromptPart, PromptTool } from '../prompt';
import { isErrorCase, type ErrorCase, type Route } from './provider';

/** The top-level parameters of chat.completions.create (openai 6.49); anything else is refused. */
const knownParams = new Set([
  'messages',
  'model',
  'audio',
  'frequency_penalty',
  'function_call',
  'functions',
  'logit_bias',
  'logprobs',
  'max_completion_tokens',
  'max_tokens',
  'metadata',
  'modalities',
  'moderation',
  'n',
  'parallel_tool_calls',
  'prediction',
  'presence_penalty',
  'prompt_cache_key',
  'prompt_cache_options',
  'prompt_cache_retention',
  'reasoning_effort',
  'response_format',
  'safety_identifier',
  'seed',
  'service_tier',
  'stop',
  'store',
  'stream',
  'stream_options',
  'temperature',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'user',
  'verbosity',
  'web_search_options',
]);

const roles = ['system', 'assistant', 'user', 'function', 'tool', 'developer'] as const;

function invalid(message: string, param?: string, code?: string): ErrorCase {
  return {
    kind: 'invalid_request',
    message,
    ...(param !== undefined ? { param } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return (asArray(content) ?? [])
    .map((part) => (isObject(part) && typeof part['text'] === 'string' ? part['text'] : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function contentParts(content: unknown): PromptPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  const parts: PromptPart[] = [];
  for (const part of asArray(content) ?? []) {
    if (!isObject(part)) continue;
    const text = asString(part['text']) ?? asString(part['refusal']);
    if (text !== undefined) parts.push({ kind: 'text', text });
    else parts.push({ kind: 'image' });
  }
  return parts;
}

function readMessage(message: JsonObject, role: (typeof roles)[number]): PromptMessage {
  const name = asString(message['name']);
  const base = name !== undefined ? { name } : {};
  switch (role) {
    case 'system':
    case 'developer':
      return { role: 'system', ...base, parts: contentParts(message['content']) };
    case 'user':
      return { role: 'user', ...base, parts: contentParts(message['content']) };
    case 'tool':
    case 'function':
      return {
        role: 'tool',
        ...base,
        parts: [{ kind: 'tool_result', text: contentText(message['content']) }],
      };
    case 'assistant': {
      const parts = message['content'] == null ? [] : contentParts(message['content']);
      for (const call of asArray(message['tool_calls']) ?? []) {
        const fn = isObject(call) ? call['function'] : undefined;
        if (!isObject(fn)) continue;
        parts.push({
          kind: 'tool_call',
          name: asString(fn['name']) ?? '',
          arguments: asString(fn['arguments']) ?? '',
        });
      }
      return { role: 'assistant', ...base, parts };
    }
  }
}

function readTools(value: unknown): PromptTool[] | ErrorCase {
  const tools: PromptTool[] = [];
  const list = asArray(value);
  if (value !== undefined && list === undefined) {
    return invalid(
      "Invalid type for 'tools': expected an array, but got an object instead.",
      'tools',
      'invalid_type',
    );
  }
  for (const [i, tool] of (list ?? []).entries()) {
    if (!isObject(tool)) continue;
    if (tool['type'] !== 'function') continue;
    const fn = tool['function'];
    const name = isObject(fn) ? asString(fn['name']) : undefined;
    if (!isObject(fn) || name === undefined) {
      return invalid(
        `Missing required parameter: 'tools[${i}].function.name'.`,
        `tools[${i}].function.name`,
        'missing_required_parameter',
      );
    }
    const description = asString(fn['description']);
    tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      schema: fn['parameters'] ?? { type: 'object', properties: {} },
    });
  }
  return tools;
}

function readToolChoice(value: unknown, tools: readonly PromptTool[]): ToolChoice | ErrorCase {
  if (value === undefined || value === null) return { mode: tools.length > 0 ? 'auto' : 'none' };
  if (tools.length === 0) {
    return invalid(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'tool_choice',
    );
  }
  if (value === 'none' || value === 'auto' || value === 'required') return { mode: value };
  if (isObject(value) && value['type'] === 'function' && isObject(value['function'])) {
    const name = asString(value['function']['name']) ?? '';
    if (!tools.some((tool) => tool.name === name)) {
      return invalid(
        `Invalid value for 'tool_choice': tool_choice function '${name}' not found in 'tools' parameter.`,
        'tool_choice',
      );
    }
    return { mode: 'named', name };
  }
  if (isObject(value) && value['type'] === 'allowed_tools' && isObject(value['allowed_tools'])) {
    const allowed = (asArray(value['allowed_tools']['tools']) ?? [])
      .map((tool) =>
        isObject(tool) && isObject(tool['function'])
          ? asString(tool['function']['name'])
          : undefined,
      )
      .filter((name): name is string => name !== undefined);
    return { mode: value['allowed_tools']['mode'] === 'required' ? 'required' : 'auto', allowed };
  }
  return invalid(
    "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.",
    'tool_choice',
    'invalid_value',
  );
}

function readOutput(value: unknown, messages: readonly unknown[]): OutputFormat | ErrorCase {
  if (!isObject(value)) return { kind: 'text' };
  switch (value['type']) {
    case 'json_schema': {
      const spec = value['json_schema'];
      if (!isObject(spec)) {
        return invalid(
          "Missing required parameter: 'response_format.json_schema'.",
          'response_format.json_schema',
          'missing_required_parameter',
        );
      }
      return { kind: 'json_schema', schema: spec['schema'] ?? {} };
    }
    case 'json_object': {
      const mentionsJson = messages.some(
        (message) => isObject(message) && /json/i.test(contentText(message['content'])),
      );
      if (!mentionsJson) {
        return invalid(
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          'messages',
        );
      }
      return { kind: 'json_object' };
    }
    default:
      return { kind: 'text' };
  }
}

function readStop(value: unknown): string[] | ErrorCase {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  const list = asArray(value);
  if (list && list.every((item) => typeof item === 'string')) {
    if (list.length > 4)
      return invalid(
        "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length " +
          list.length +
          ' instead.',
        'stop',
        'array_above_max_length',
      );
    return list as string[];
  }
  return invalid(
    "Invalid type for 'stop': expected a string or an array of strings.",
    'stop',
    'invalid_type',
  );
}

/**
 * Reads an OpenAI (or Azure) chat.completions body into a {@link SimRequest}, refusing what
 * OpenAI refuses: unknown parameters, a missing model or messages, bad roles, `stream_options`
 * without `stream`, `tool_choice` without tools, json_object without the word "json".
 */
export function parseOpenAiRequest(body: unknown, route: Route): SimRequest | ErrorCase {
  if (!isObject(body)) return invalid('Invalid request body: expected a JSON object.');
  for (const key of Object.keys(body)) {
    if (!knownParams.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`);
  }
  // Azure's deployments API names the deployment in the path; its v1 API, as OpenAI, in the body.
  const model = route.pathModel ?? asString(body['model']);
  if (model === undefined || model === '') return invalid('you must provide a model parameter');
  const rawMessages = body['messages'];
  if (rawMessages === undefined) {
    return invalid(
      "Missing required parameter: 'messages'.",
      'messages',
      'missing_required_parameter',
    );
  }
  const list = asArray(rawMessages);
  if (list === undefined) {
    return invalid(
      "Invalid type for 'messages': expected an array of objects, but got a non-array value instead.",
      'messages',
      'invalid_type',
    );
  }
  if (list.length === 0) {
    return invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  const messages: PromptMessage[] = [];
  let lastUserText = '';
  for (const [i, message] of list.entries()) {
    if (!isObject(message)) {
      return invalid(
        `Invalid type for 'messages[${i}]': expected an object, but got a non-object value instead.`,
        `messages[${i}]`,
        'invalid_type',
      );
    }
    const role = roles.find((r) => r === message['role']);
    if (role === undefined) {
      return invalid(
        `Invalid value: '${String(message['role'])}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`,
        'invalid_value',
      );
    }
    messages.push(readMessage(message, role));
    if (role === 'user') lastUserText = contentText(message['content']);
  }
  const stream = body['stream'] === true;
  if (body['stream_options'] != null && !stream) {
    return invalid(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    );
  }
  const n = body['n'] == null ? 1 : asNumber(body['n']);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 128) {
    return invalid(
      `Invalid 'n': expected an integer between 1 and 128, but got ${JSON.stringify(body['n'])} instead.`,
      'n',
      'invalid_value',
    );
  }
  const maxTokens = asNumber(body['max_completion_tokens']) ?? asNumber(body['max_tokens']);
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 1)) {
    return invalid(
      `Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got ${maxTokens} instead.`,
      'max_tokens',
      'integer_below_min_value',
    );
  }
  const tools = readTools(body['tools']);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = readToolChoice(body['tool_choice'], tools);
  if (isErrorCase(toolChoice)) return toolChoice;
  const output = readOutput(body['response_format'], list);
  if (isErrorCase(output)) return output;
  const stop = readStop(body['stop']);
  if (!Array.isArray(stop)) return stop;
  const options = body['stream_options'];
  return {
    provider: route.provider,
    model,
    stream,
    prompt: { tools, messages },
    lastUserText,
    endsWithUserTurn: messages[messages.length - 1]?.role === 'user',
    toolChoice,
    toolPreamble: false,
    output,
    n,
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    stop,
    includeUsage: isObject(options) && options['include_usage'] === true,
  };
}
