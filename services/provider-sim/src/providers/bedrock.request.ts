import type { SimRequest, ToolChoice } from '../engine';
import { asArray, asNumber, asString, isObject, type JsonObject } from '../json';
import type { PromptMessage, PromptPart, PromptTool } from '../prompt';
import type { ErrorCase, Route } from './provider';

/** The top-level fields of a Converse request; others are refused. */
const knownFields = new Set([
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'guardrailConfig',
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'promptVariables',
  'requestMetadata',
  'performanceConfig',
]);

function invalid(message: string): ErrorCase {
  return { kind: 'invalid_request', message };
}

function toolResultText(content: unknown): string {
  return (asArray(content) ?? [])
    .map((block) => {
      if (!isObject(block)) return '';
      return (
        asString(block['text']) ??
        (block['json'] === undefined ? '' : JSON.stringify(block['json']))
      );
    })
    .join('\n');
}

function readBlocks(content: unknown): { parts: PromptPart[]; text: string; toolResult: boolean } {
  const parts: PromptPart[] = [];
  const texts: string[] = [];
  let toolResult = false;
  for (const block of asArray(content) ?? []) {
    if (!isObject(block)) continue;
    const text = asString(block['text']);
    const use = block['toolUse'];
    const result = block['toolResult'];
    if (text !== undefined) {
      parts.push({ kind: 'text', text });
      texts.push(text);
    } else if (isObject(use)) {
      parts.push({
        kind: 'tool_call',
        name: asString(use['name']) ?? '',
        arguments: JSON.stringify(use['input'] ?? {}),
      });
    } else if (isObject(result)) {
      toolResult = true;
      parts.push({ kind: 'tool_result', text: toolResultText(result['content']) });
    } else if (isObject(block['image'])) {
      parts.push({ kind: 'image' });
    }
  }
  return { parts, text: texts.join('\n'), toolResult };
}

function readTools(config: JsonObject | undefined): PromptTool[] {
  const tools: PromptTool[] = [];
  for (const tool of asArray(config?.['tools']) ?? []) {
    if (!isObject(tool) || !isObject(tool['toolSpec'])) continue;
    const spec = tool['toolSpec'];
    const name = asString(spec['name']);
    if (name === undefined) continue;
    const description = asString(spec['description']);
    const schema = isObject(spec['inputSchema']) ? spec['inputSchema']['json'] : undefined;
    tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      schema: schema ?? {},
    });
  }
  return tools;
}

function readToolChoice(config: JsonObject | undefined, tools: readonly PromptTool[]): ToolChoice {
  if (tools.length === 0) return { mode: 'none' };
  const choice = config?.['toolChoice'];
  if (!isObject(choice)) return { mode: 'auto' };
  if (isObject(choice['any'])) return { mode: 'required' };
  const tool = choice['tool'];
  if (isObject(tool)) {
    const name = asString(tool['name']);
    return name === undefined ? { mode: 'required' } : { mode: 'named', name };
  }
  return { mode: 'auto' };
}

/**
 * Reads a Converse body into a {@link SimRequest}, refusing what Bedrock refuses: unknown
 * top-level fields, no messages, roles other than user / assistant, turns that do not
 * alternate, a conversation that does not start with a user turn. The model and the streaming
 * mode come from the path (`/converse` or `/converse-stream`). Converse has no JSON mode: the
 * output is text (JSON arrives through a forced tool).
 */
export function parseBedrockRequest(body: unknown, route: Route): SimRequest | ErrorCase {
  if (!isObject(body))
    return invalid('Malformed input request, please reformat your input and try again.');
  for (const key of Object.keys(body)) {
    if (!knownFields.has(key)) {
      return invalid(
        `Malformed input request: extraneous key [${key}] is not permitted, please reformat your input and try again.`,
      );
    }
  }
  const turns = asArray(body['messages']);
  if (turns === undefined || turns.length === 0) {
    return invalid(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  const messages: PromptMessage[] = [];
  const system = asArray(body['system']);
  if (system !== undefined) messages.push({ role: 'system', parts: readBlocks(system).parts });
  let lastUserText = '';
  let endsWithUserTurn = false;
  let previousRole: string | undefined;
  for (const turn of turns) {
    if (!isObject(turn))
      return invalid('Malformed input request, please reformat your input and try again.');
    const role = turn['role'];
    if (role !== 'user' && role !== 'assistant') {
      return invalid(
        `1 validation error detected: Value '${String(role)}' at 'messages.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
      );
    }
    if (previousRole === undefined && role !== 'user') {
      return invalid(
        'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
      );
    }
    if (role === previousRole) {
      return invalid(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    previousRole = role;
    const read = readBlocks(turn['content']);
    messages.push({ role: read.toolResult ? 'tool' : role, parts: read.parts });
    if (role === 'user' && read.text !== '') lastUserText = read.text;
    endsWithUserTurn = role === 'user' && !read.toolResult;
  }
  const toolConfig = isObject(body['toolConfig']) ? body['toolConfig'] : undefined;
  const tools = readTools(toolConfig);
  const inference = isObject(body['inferenceConfig']) ? body['inferenceConfig'] : {};
  const maxTokens = asNumber(inference['maxTokens']);
  const stop = (asArray(inference['stopSequences']) ?? []).filter(
    (item): item is string => typeof item === 'string',
  );
  return {
    provider: route.provider,
    model: route.pathModel ?? '',
    stream: route.stream === true,
    prompt: { tools, messages },
    lastUserText,
    endsWithUserTurn,
    toolChoice: readToolChoice(toolConfig, tools),
    toolPreamble: false,
    output: { kind: 'text' },
    n: 1,
    ...(maxTokens !== undefined && maxTokens > 0 ? { maxTokens } : {}),
    stop,
    includeUsage: false,
  };
}
