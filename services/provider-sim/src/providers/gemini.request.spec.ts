import { describe, expect, it } from 'vitest';
import { parseGeminiRequest } from './gemini.request';
import type { ErrorCase, Route } from './provider';

const route: Route = {
  provider: 'gemini',
  pathModel: 'gemini-2.5-flash',
  stream: true,
  sse: true,
  query: new URLSearchParams(),
};
const contents = [{ role: 'user', parts: [{ text: 'Hi' }] }];

function error(body: unknown): ErrorCase {
  const result = parseGeminiRequest(body, route);
  if (!('kind' in result)) throw new Error('expected an error');
  return result;
}

describe('parseGeminiRequest', () => {
  it('reads contents, system instruction, function parts and generation config', () => {
    const parsed = parseGeminiRequest(
      {
        systemInstruction: { parts: [{ text: 'Rules' }] },
        contents: [
          {
            role: 'user',
            parts: [{ text: 'Ferry?' }, { inlineData: { mimeType: 'image/png', data: '' } }],
          },
          { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
        ],
        generationConfig: { maxOutputTokens: 12, stopSequences: ['Z'], candidateCount: 2 },
      },
      route,
    );
    expect(parsed).toMatchObject({
      model: 'gemini-2.5-flash',
      stream: true,
      lastUserText: 'Ferry?',
      endsWithUserTurn: false,
      maxTokens: 12,
      stop: ['Z'],
      n: 2,
      prompt: {
        messages: [
          { role: 'system', parts: [{ kind: 'text', text: 'Rules' }] },
          { role: 'user', parts: [{ kind: 'text', text: 'Ferry?' }, { kind: 'image' }] },
          { role: 'assistant', parts: [{ kind: 'tool_call', name: 'f', arguments: '{"a":1}' }] },
          { role: 'user', parts: [{ kind: 'tool_result', text: '{"ok":true}' }] },
        ],
      },
    });
  });

  it('reads snake_case fields, tools, function calling modes and JSON output', () => {
    const parsed = parseGeminiRequest(
      {
        contents,
        tools: [
          { function_declarations: [{ name: 'f', parameters: { type: 'OBJECT' } }] },
          { googleSearch: {} },
        ],
        tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
        generation_config: {
          response_mime_type: 'application/json',
          response_schema: { type: 'OBJECT' },
        },
      },
      route,
    );
    expect(parsed).toMatchObject({
      toolChoice: { mode: 'required', allowed: ['f'] },
      output: { kind: 'json_schema', schema: { type: 'OBJECT' } },
      prompt: { tools: [{ name: 'f', schema: { type: 'OBJECT' } }] },
    });
  });

  it('refuses what Google refuses', () => {
    expect(error({})).toEqual({
      kind: 'invalid_request',
      message: '* GenerateContentRequest.contents: contents is not specified\n',
    });
    expect(error({ contents, temperature: 1 })).toEqual({
      kind: 'invalid_request',
      message: 'Invalid JSON payload received. Unknown name "temperature": Cannot find field.',
    });
    expect(error({ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] })).toMatchObject({
      message: 'Please use a valid role: user, model.',
    });
    expect(error({ contents, systemInstruction: 'be nice' })).toMatchObject({
      kind: 'invalid_request',
    });
    expect(error({ contents, generationConfig: { candidateCount: 9 } })).toMatchObject({
      kind: 'invalid_request',
    });
  });
});
