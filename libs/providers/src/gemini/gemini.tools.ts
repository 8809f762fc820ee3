import type { ChatCompletionRequest } from '@switchyard/contracts';
import { geminiInvalidRequest } from './gemini.errors';
import { GeminiSchemaError, toGeminiSchema } from './gemini.schema';
import type {
  GeminiFunctionCallingMode,
  GeminiFunctionDeclaration,
  GeminiSchema,
  GeminiTool,
  GeminiToolConfig,
} from './gemini.types';

/** Converts a JSON Schema, turning a schema Gemini cannot take into a bad_request on `param`. */
export function convertSchema(schema: Record<string, unknown>, param: string): GeminiSchema {
  try {
    return toGeminiSchema(schema);
  } catch (error) {
    if (error instanceof GeminiSchemaError) throw geminiInvalidRequest(error.message, param);
    throw error;
  }
}

function declaration(
  tool: NonNullable<ChatCompletionRequest['tools']>[number],
  index: number,
): GeminiFunctionDeclaration {
  const { name, description, parameters } = tool.function;
  const result: GeminiFunctionDeclaration = { name };
  if (description !== undefined && description !== '') result.description = description;
  if (parameters !== undefined) {
    const schema = convertSchema(parameters, `tools[${index}].function.parameters`);
    const noArguments =
      schema.type === 'OBJECT' && Object.keys(schema.properties ?? {}).length === 0;
    if (!noArguments) result.parameters = schema;
  }
  return result;
}

/**
 * OpenAI `tools` and `tool_choice` as Gemini's `tools` (one entry holding every function
 * declaration; `strict` has no Gemini counterpart and is left out; a function without
 * arguments gets no `parameters`, since Gemini rejects an OBJECT without properties) and
 * `toolConfig.functionCallingConfig`: `auto` → AUTO, `none` → NONE, `required` → ANY, a named
 * function → ANY restricted to that name.
 */
export function toGeminiTools(request: ChatCompletionRequest): {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
} {
  const declarations = (request.tools ?? []).map(declaration);
  const choice = request.tool_choice;
  const tools = declarations.length > 0 ? [{ functionDeclarations: declarations }] : undefined;
  if (choice === undefined) return tools ? { tools } : {};

  if (!tools) {
    if (choice === 'none' || choice === 'auto') return {};
    throw geminiInvalidRequest(
      'tool_choice asks for a tool call but the request has no tools',
      'tool_choice',
    );
  }

  if (typeof choice === 'string') {
    const modes: Record<typeof choice, GeminiFunctionCallingMode> = {
      auto: 'AUTO',
      none: 'NONE',
      required: 'ANY',
    };
    return { tools, toolConfig: { functionCallingConfig: { mode: modes[choice] } } };
  }
  const name = choice.function.name;
  if (!declarations.some((candidate) => candidate.name === name)) {
    throw geminiInvalidRequest(
      `tool_choice names "${name}", which is not among the tools`,
      'tool_choice',
    );
  }
  return {
    tools,
    toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } },
  };
}
