import type { IncomingHttpHeaders } from 'node:http';
import type { OutputFormat, SimRequest, ToolChoice } from '../engine';
import { asArray, asNumber, asString, isObject, type JsonObject } from '../json';
import type { PromptMessage, PromptPart, PromptTool } from '../prompt';
import { isErrorCase, type ErrorCase, type Route } from './provider';

/** The top-level fields of messages.create (@anthropic-ai/sdk 1.13); others are refused. */
const knownFields = new Set([
  'model',
  'messages',
  'max_tokens',
  'cache_control',
  'container',
  'context_management',
  'diagnostics',
  'inference_geo',
  'mcp_servers',
  'metadata',
  'output_config',
  'output_format',
  'service_tier',
  'speed',
  'stop_sequences',
  'stream',
  'system',
  'temperature',
  'thinking',
  'tool_choice',
  'tools',
  'top_k',
  'top_p',
]);

/** Sampling parameters API version 2026-10-21 removed (sending one is a 400). */
const samplingFields: ReadonlySet<string> = new Set(['temperature', 'top_p', 'top_k']);
const noFields: ReadonlySet<string> = new Set();

function invalid(message: string): ErrorCase {
  return { kind: 'invalid_request', message };
}

function blockText(block: JsonObject): string | undefined {
  return asString(block['text']);
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return (asArray(content) ?? [])
    .map((block) => (isObject(block) ? (blockText(block) ?? '') : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function readBlocks(content: unknown): { parts: PromptPart[]; text: string; toolResult: boolean } {
  if (typeof content === 'string') {
    return { parts: [{ kind: 'text', text: content }], text: content, toolResult: false };
  }
  const parts: PromptPart[] = [];
  const texts: string[] = [];
  let toolResult = false;
  for (const block of asArray(content) ?? []) {
    if (!isObject(block)) continue;
    const cacheBreakpoint = isObject(block['cache_control']);
    const mark = cacheBreakpoint ? { cacheBreakpoint } : {};
    switch (block['type']) {
      case 'text': {
        const text = blockText(block) ?? '';
        parts.push({ kind: 'text', text, ...mark });
        texts.push(text);
        break;
      }
      case 'tool_use':
        parts.push({
          kind: 'tool_call',
          name: asString(block['name']) ?? '',
          arguments: JSON.stringify(block['input'] ?? {}),
          ...mark,
        });
        break;
      case 'tool_result':
        toolResult = true;
        parts.push({ kind: 'tool_result', text: toolResultText(block['content']), ...mark });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        parts.push({ kind: 'image', ...mark });
    }
  }
  return { parts, text: texts.join('\n'), toolResult };
}

function readTools(value: unknown): PromptTool[] {
  const tools: PromptTool[] = [];
  for (const tool of asArray(value) ?? []) {
    if (!isObject(tool)) continue;
    const name = asString(tool['name']);
    if (name === undefined || (tool['type'] !== undefined && tool['type'] !== 'custom')) continue;
    const description = asString(tool['description']);
    tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      schema: tool['input_schema'] ?? {},
      ...(isObject(tool['cache_control']) ? { cacheBreakpoint: true } : {}),
    });
  }
  return tools;
}

function readToolChoice(value: unknown, tools: readonly PromptTool[]): ToolChoice | ErrorCase {
  if (value === undefined) return { mode: tools.length > 0 ? 'auto' : 'none' };
  if (!isObject(value)) return invalid('tool_choice: Input should be a valid dictionary');
  if (tools.length === 0 && value['type'] !== 'none') {
    return invalid('tool_choice may only be specified while providing tools.');
  }
  switch (value['type']) {
    case 'auto':
      return { mode: 'auto' };
    case 'any':
      return { mode: 'required' };
    case 'none':
      return { mode: 'none' };
    case 'tool': {
      const name = asString(value['name']) ?? '';
      if (!tools.some((tool) => tool.name === name)) {
        return invalid(`tool_choice.name: Tool '${name}' not found in provided tools`);
      }
      return { mode: 'named', name };
    }
    default:
      return invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
}

function readOutput(body: JsonObject): OutputFormat {
  const config = body['output_config'];
  const format = isObject(config) ? config['format'] : body['output_format'];
  if (isObject(format) && format['type'] === 'json_schema') {
    return { kind: 'json_schema', schema: format['schema'] ?? {} };
  }
  return { kind: 'text' };
}

function markLastBlock(messages: PromptMessage[]): void {
  const last = messages[messages.length - 1];
  const part = last?.parts[last.parts.length - 1];
  if (part !== undefined) part.cacheBreakpoint = true;
}

/**
 * Reads an Anthropic messages body into a {@link SimRequest}, refusing what Anthropic refuses:
 * extra fields (and, with `anthropic-version: 2026-10-21`, temperature / top_p / top_k), a
 * missing model / max_tokens / messages, bad roles, a tool_choice without tools.
 * `cache_control` on blocks (and at the top level, on the last block) marks cache breakpoints.
 */
export function parseAnthropicRequest(
  body: unknown,
  route: Route,
  headers: IncomingHttpHeaders,
): SimRequest | ErrorCase {
  if (!isObject(body)) return invalid('Input should be a valid dictionary');
  const removed = headers['anthropic-version'] === '2026-10-21' ? samplingFields : noFields;
  for (const key of Object.keys(body)) {
    if (!knownFields.has(key) || removed.has(key))
      return invalid(`${key}: Extra inputs are not permitted`);
  }
  const model = asString(body['model']);
  if (model === undefined) return invalid('model: Field required');
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) return invalid('max_tokens: Field required');
  const max = asNumber(maxTokens);
  if (max === undefined || !Number.isInteger(max))
    return invalid('max_tokens: Input should be a valid integer');
  if (max < 1) return invalid('max_tokens: Input should be greater than or equal to 1');
  const list = asArray(body['messages']);
  if (body['messages'] === undefined) return invalid('messages: Field required');
  if (list === undefined) return invalid('messages: Input should be a valid list');
  if (list.length === 0) return invalid('messages: at least one message is required');
  const messages: PromptMessage[] = [];
  const system = body['system'];
  if (system !== undefined) {
    const read = readBlocks(system);
    messages.push({ role: 'system', parts: read.parts });
  }
  let lastUserText = '';
  let endsWithUserTurn = false;
  for (const [i, message] of list.entries()) {
    if (!isObject(message)) return invalid(`messages.${i}: Input should be a valid dictionary`);
    const role = message['role'];
    if (role !== 'user' && role !== 'assistant' && role !== 'system') {
      return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (message['content'] === undefined) return invalid(`messages.${i}.content: Field required`);
    const read = readBlocks(message['content']);
    messages.push({ role, parts: read.parts });
    if (role === 'user' && read.text !== '') lastUserText = read.text;
    endsWithUserTurn = role === 'user' && !read.toolResult;
  }
  const tools = readTools(body['tools']);
  const toolChoice = readToolChoice(body['tool_choice'], tools);
  if (isErrorCase(toolChoice)) return toolChoice;
  const stop = asArray(body['stop_sequences']) ?? [];
  if (!stop.every((item) => typeof item === 'string')) {
    return invalid('stop_sequences: Input should be a valid list of strings');
  }
  if (isObject(body['cache_control'])) markLastBlock(messages);
  return {
    provider: route.provider,
    model,
    stream: body['stream'] === true,
    prompt: { tools, messages },
    lastUserText,
    endsWithUserTurn,
    toolChoice,
    toolPreamble: toolChoice.mode === 'auto',
    output: readOutput(body),
    n: 1,
    maxTokens: max,
    stop,
    includeUsage: false,
  };
}
