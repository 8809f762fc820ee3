import type { OutputFormat, SimRequest, ToolChoice } from '../engine';
import { asArray, asNumber, asString, field, isObject, type JsonObject } from '../json';
import type { PromptMessage, PromptPart, PromptTool } from '../prompt';
import { isErrorCase, type ErrorCase, type Route } from './provider';

/** Top-level fields of a GenerateContentRequest, in both of Google's JSON spellings. */
const knownFields = new Set([
  'contents',
  'systemInstruction',
  'system_instruction',
  'tools',
  'toolConfig',
  'tool_config',
  'safetySettings',
  'safety_settings',
  'generationConfig',
  'generation_config',
  'cachedContent',
  'cached_content',
  'labels',
  'serviceTier',
  'service_tier',
  'model',
]);

function invalid(message: string): ErrorCase {
  return { kind: 'invalid_request', message };
}

function readParts(content: JsonObject): {
  parts: PromptPart[];
  text: string;
  functionResponse: boolean;
} {
  const parts: PromptPart[] = [];
  const texts: string[] = [];
  let functionResponse = false;
  for (const part of asArray(content['parts']) ?? []) {
    if (!isObject(part)) continue;
    const text = asString(part['text']);
    const call = field(part, 'functionCall', 'function_call');
    const response = field(part, 'functionResponse', 'function_response');
    if (text !== undefined) {
      if (part['thought'] === true) continue;
      parts.push({ kind: 'text', text });
      texts.push(text);
    } else if (isObject(call)) {
      parts.push({
        kind: 'tool_call',
        name: asString(call['name']) ?? '',
        arguments: JSON.stringify(call['args'] ?? {}),
      });
    } else if (isObject(response)) {
      functionResponse = true;
      parts.push({ kind: 'tool_result', text: JSON.stringify(response['response'] ?? {}) });
    } else {
      parts.push({ kind: 'image' });
    }
  }
  return { parts, text: texts.join('\n'), functionResponse };
}

function readTools(value: unknown): PromptTool[] {
  const tools: PromptTool[] = [];
  for (const tool of asArray(value) ?? []) {
    if (!isObject(tool)) continue;
    for (const declaration of asArray(
      field(tool, 'functionDeclarations', 'function_declarations'),
    ) ?? []) {
      if (!isObject(declaration)) continue;
      const name = asString(declaration['name']);
      if (name === undefined) continue;
      const description = asString(declaration['description']);
      tools.push({
        name,
        ...(description !== undefined ? { description } : {}),
        schema:
          field(declaration, 'parametersJsonSchema', 'parameters_json_schema', 'parameters') ?? {},
      });
    }
  }
  return tools;
}

function readToolChoice(value: unknown, tools: readonly PromptTool[]): ToolChoice | ErrorCase {
  const config = isObject(value)
    ? field(value, 'functionCallingConfig', 'function_calling_config')
    : undefined;
  if (tools.length === 0 || !isObject(config)) return { mode: tools.length > 0 ? 'auto' : 'none' };
  const allowed = (
    asArray(field(config, 'allowedFunctionNames', 'allowed_function_names')) ?? []
  ).filter((name): name is string => typeof name === 'string');
  switch (config['mode'] ?? 'AUTO') {
    case 'MODE_UNSPECIFIED':
    case 'AUTO':
    case 'VALIDATED':
      return { mode: 'auto', allowed };
    case 'ANY':
      return { mode: 'required', allowed };
    case 'NONE':
      return { mode: 'none' };
    default:
      return invalid(
        `Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), "${String(config['mode'])}"`,
      );
  }
}

function readOutput(config: JsonObject): OutputFormat {
  const mime = asString(field(config, 'responseMimeType', 'response_mime_type'));
  if (mime !== 'application/json') return { kind: 'text' };
  const schema = field(
    config,
    'responseJsonSchema',
    'response_json_schema',
    'responseSchema',
    'response_schema',
  );
  return schema === undefined ? { kind: 'json_object' } : { kind: 'json_schema', schema };
}

/**
 * Reads a Gemini generateContent body into a {@link SimRequest}, refusing what Google refuses:
 * unknown top-level fields, missing contents, roles other than user/model, a systemInstruction
 * that is not a Content. The model and the streaming mode come from the path.
 */
export function parseGeminiRequest(body: unknown, route: Route): SimRequest | ErrorCase {
  if (!isObject(body)) return invalid('Invalid JSON payload received. Expected an object.');
  for (const key of Object.keys(body)) {
    if (!knownFields.has(key)) {
      return invalid(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
    }
  }
  const contents = asArray(body['contents']);
  if (contents === undefined || contents.length === 0) {
    return invalid('* GenerateContentRequest.contents: contents is not specified\n');
  }
  const messages: PromptMessage[] = [];
  const system = field(body, 'systemInstruction', 'system_instruction');
  if (system !== undefined) {
    if (!isObject(system)) {
      return invalid(
        `Invalid value at 'system_instruction' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(system)}`,
      );
    }
    messages.push({ role: 'system', parts: readParts(system).parts });
  }
  let lastUserText = '';
  let endsWithUserTurn = false;
  for (const content of contents) {
    if (!isObject(content))
      return invalid('Invalid JSON payload received. Expected a Content object.');
    const role = content['role'] ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      return invalid('Please use a valid role: user, model.');
    }
    const read = readParts(content);
    messages.push({
      role: role === 'model' ? 'assistant' : role === 'function' ? 'tool' : 'user',
      parts: read.parts,
    });
    if (role === 'user' && read.text !== '') lastUserText = read.text;
    endsWithUserTurn = role === 'user' && !read.functionResponse;
  }
  const tools = readTools(body['tools']);
  const toolChoice = readToolChoice(field(body, 'toolConfig', 'tool_config'), tools);
  if (isErrorCase(toolChoice)) return toolChoice;
  const config = field(body, 'generationConfig', 'generation_config');
  const generation = isObject(config) ? config : {};
  const n = asNumber(field(generation, 'candidateCount', 'candidate_count')) ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    return invalid('Only values between 1 and 8 are supported for candidate_count.');
  }
  const maxTokens = asNumber(field(generation, 'maxOutputTokens', 'max_output_tokens'));
  const stop = (asArray(field(generation, 'stopSequences', 'stop_sequences')) ?? []).filter(
    (item): item is string => typeof item === 'string',
  );
  if (stop.length > 5) {
    return invalid('The number of stop sequences must be no more than 5.');
  }
  return {
    provider: route.provider,
    model: route.pathModel ?? '',
    stream: route.stream === true,
    prompt: { tools, messages },
    lastUserText,
    endsWithUserTurn,
    toolChoice,
    toolPreamble: false,
    output: readOutput(generation),
    n,
    ...(maxTokens !== undefined && maxTokens > 0 ? { maxTokens } : {}),
    stop,
    includeUsage: false,
  };
}
