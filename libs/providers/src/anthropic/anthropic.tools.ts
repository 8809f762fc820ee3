import type { ChatCompletionRequest, FunctionTool, ResponseFormat } from '@switchyard/contracts';
import { JSON_RESPONSE_TOOL_NAME } from './anthropic.constants';
import { badParameter, dropOrReject } from './anthropic.errors';
import type { AnthropicInputSchema, AnthropicTool, AnthropicToolChoice } from './anthropic.types';

/** The `tools` and `tool_choice` of an Anthropic request, each absent when not sent. */
export interface AnthropicToolSettings {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

/**
 * A tool's input schema: Anthropic requires an object schema at the root, so a schema without
 * `type` gets `"type": "object"` and a schema of another type is a bad request.
 */
function objectSchema(
  schema: Readonly<Record<string, unknown>> | undefined,
  param: string,
): AnthropicInputSchema {
  if (schema === undefined) return { type: 'object', properties: {} };
  const type = schema['type'] ?? 'object';
  if (type !== 'object') {
    throw badParameter(
      param,
      'invalid_value',
      `${param} must describe a JSON object for Anthropic`,
    );
  }
  return { ...schema, type };
}

function anthropicTool(tool: FunctionTool, index: number): AnthropicTool {
  const { name, description, parameters, strict } = tool.function;
  if (name === JSON_RESPONSE_TOOL_NAME) {
    throw badParameter(
      `tools[${index}].function.name`,
      'invalid_value',
      `the tool name "${JSON_RESPONSE_TOOL_NAME}" is reserved for JSON mode`,
    );
  }
  return {
    name,
    ...(description === undefined ? {} : { description }),
    input_schema: objectSchema(parameters, `tools[${index}].function.parameters`),
    ...(strict === true ? { strict: true } : {}),
  };
}

/**
 * The tool that carries JSON mode: its input schema is the requested JSON schema, or any object
 * for `json_object`. Undefined for `text` or no `response_format`.
 */
function jsonResponseTool(format: ResponseFormat | undefined): AnthropicTool | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    return {
      name: JSON_RESPONSE_TOOL_NAME,
      description: 'Give your whole response as a JSON object, as the input of this tool.',
      input_schema: { type: 'object' },
    };
  }
  const { name, description, schema, strict } = format.json_schema;
  return {
    name: JSON_RESPONSE_TOOL_NAME,
    description:
      description ??
      `Give your whole response as JSON following the "${name}" schema, as the input of this tool.`,
    input_schema: objectSchema(schema, 'response_format.json_schema.schema'),
    ...(strict === true ? { strict: true } : {}),
  };
}

/** OpenAI's tool_choice for the user's own tools, as Anthropic's. */
function userToolChoice(
  choice: ChatCompletionRequest['tool_choice'],
  parallelOff: boolean,
): AnthropicToolChoice | undefined {
  const noParallel = parallelOff ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallelOff ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  return { type: 'tool', name: choice.function.name, ...noParallel };
}

/**
 * Tools, tool choice and JSON mode.
 *
 * - tools → `{name, description, input_schema}` (`strict` passed on when true).
 * - tool_choice: `auto` → `{type:'auto'}`, `required` → `{type:'any'}`, a named function →
 *   `{type:'tool', name}`, `none` → `{type:'none'}`; `parallel_tool_calls: false` adds
 *   `disable_parallel_tool_use: true`. A tool_choice that needs tools when there are none is a
 *   bad request (`none` / `auto` are simply not sent), or left out with `dropParams`.
 * - JSON mode (`response_format` json_object / json_schema) adds the JSON_RESPONSE_TOOL_NAME tool
 *   and forces it (`{type:'tool'}`, one call); with tools of the caller's own and a tool_choice of
 *   auto / required / unset, the choice becomes `{type:'any'}`: the model calls one of the
 *   caller's tools or answers through the JSON tool; a named tool_choice is kept, `none` forces
 *   the JSON tool.
 */
export function translateTools(
  request: ChatCompletionRequest,
  dropParams: boolean,
): AnthropicToolSettings {
  const userTools = (request.tools ?? []).map(anthropicTool);
  const jsonTool = jsonResponseTool(request.response_format);
  const choice = request.tool_choice;
  const parallelOff = request.parallel_tool_calls === false;

  if (jsonTool === undefined) {
    if (userTools.length > 0) {
      const toolChoice = userToolChoice(choice, parallelOff);
      return toolChoice === undefined
        ? { tools: userTools }
        : { tools: userTools, tool_choice: toolChoice };
    }
    if (choice === 'required' || typeof choice === 'object') {
      dropOrReject(
        dropParams,
        'tool_choice',
        'invalid_value',
        'tool_choice needs tools to choose from',
      );
    }
    return {};
  }

  const tools = [...userTools, jsonTool];
  const forceJson: AnthropicToolChoice = {
    type: 'tool',
    name: JSON_RESPONSE_TOOL_NAME,
    disable_parallel_tool_use: true,
  };
  if (userTools.length === 0 || choice === 'none') return { tools, tool_choice: forceJson };
  const noParallel = parallelOff ? { disable_parallel_tool_use: true } : {};
  if (typeof choice === 'object') {
    return { tools, tool_choice: { type: 'tool', name: choice.function.name, ...noParallel } };
  }
  return { tools, tool_choice: { type: 'any', ...noParallel } };
}
