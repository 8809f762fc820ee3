import type { ChatCompletionRequest, FunctionTool, ResponseFormat } from '@switchyard/contracts';
import { bedrockBadParameter } from './bedrock.errors';
import type { ConverseRequestBody, ConverseTool, ConverseToolChoice } from './bedrock.types';

/**
 * The tool that carries JSON mode (LiteLLM's name): `response_format` json_object / json_schema
 * is sent as this tool, forced, and its input is returned as the answer's JSON text.
 */
export const JSON_RESPONSE_TOOL_NAME = 'json_tool_call';

function converseTool(tool: FunctionTool, index: number): ConverseTool {
  const { name, description, parameters } = tool.function;
  if (name === JSON_RESPONSE_TOOL_NAME) {
    throw bedrockBadParameter(
      `tools[${index}].function.name`,
      'invalid_value',
      `the tool name "${JSON_RESPONSE_TOOL_NAME}" is reserved for JSON mode`,
    );
  }
  return {
    toolSpec: {
      name,
      ...(description === undefined ? {} : { description }),
      inputSchema: { json: parameters ?? { type: 'object', properties: {} } },
    },
  };
}

function jsonResponseTool(format: ResponseFormat | undefined): ConverseTool | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') {
    return {
      toolSpec: {
        name: JSON_RESPONSE_TOOL_NAME,
        description: 'Give your whole response as a JSON object, as the input of this tool.',
        inputSchema: { json: { type: 'object' } },
      },
    };
  }
  const { name, description, schema } = format.json_schema;
  return {
    toolSpec: {
      name: JSON_RESPONSE_TOOL_NAME,
      description:
        description ??
        `Give your whole response as JSON following the "${name}" schema, as the input of this tool.`,
      inputSchema: { json: schema ?? { type: 'object' } },
    },
  };
}

const auto: ConverseToolChoice = { auto: {} };
const any: ConverseToolChoice = { any: {} };

/**
 * `toolConfig`: tools → `toolSpec {name, description, inputSchema: {json}}`; tool_choice `auto`
 * → `{auto}`, `required` → `{any}`, a named function → `{tool: {name}}`. Converse has no
 * `none`: with tool_choice `none` the tools are not sent at all (so the model cannot call one).
 * JSON mode adds the {@link JSON_RESPONSE_TOOL_NAME} tool and forces it; with tools of the
 * caller's own and tool_choice auto / required / unset the choice becomes `{any}` (a caller's
 * tool or the JSON tool). A tool_choice that names a tool when there are none is a bad request,
 * or left out with `dropParams`. (`parallel_tool_calls` has no Converse counterpart and is not sent.)
 */
export function toToolConfig(
  request: ChatCompletionRequest,
  dropParams: boolean,
): Pick<ConverseRequestBody, 'toolConfig'> {
  const choice = request.tool_choice;
  const userTools = choice === 'none' ? [] : (request.tools ?? []).map(converseTool);
  const jsonTool = jsonResponseTool(request.response_format);
  if (jsonTool === undefined) {
    if (userTools.length === 0) {
      if ((choice === 'required' || typeof choice === 'object') && !dropParams) {
        throw bedrockBadParameter(
          'tool_choice',
          'invalid_value',
          'tool_choice needs tools to choose from',
        );
      }
      return {};
    }
    const toolChoice =
      choice === undefined || choice === 'auto'
        ? auto
        : choice === 'required'
          ? any
          : typeof choice === 'object'
            ? { tool: { name: choice.function.name } }
            : auto;
    return { toolConfig: { tools: userTools, toolChoice } };
  }
  const tools = [...userTools, jsonTool];
  if (userTools.length === 0) {
    return { toolConfig: { tools, toolChoice: { tool: { name: JSON_RESPONSE_TOOL_NAME } } } };
  }
  if (typeof choice === 'object') {
    return { toolConfig: { tools, toolChoice: { tool: { name: choice.function.name } } } };
  }
  return { toolConfig: { tools, toolChoice: any } };
}
