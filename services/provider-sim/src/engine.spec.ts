import { describe, expect, it } from 'vitest';
import { composeChoices, type SimRequest } from './engine';

const tool = {
  name: 'lookup',
  schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
};
const other = { name: 'other', schema: { type: 'object', properties: {} } };

function request(over: Partial<SimRequest>): SimRequest {
  return {
    provider: 'openai',
    model: 'm',
    stream: false,
    prompt: { tools: [tool, other], messages: [] },
    lastUserText: 'find the thing',
    endsWithUserTurn: true,
    toolChoice: { mode: 'auto' },
    toolPreamble: false,
    output: { kind: 'text' },
    n: 1,
    stop: [],
    includeUsage: false,
    ...over,
  };
}

const ids = (): (() => string) => {
  let n = 0;
  return () => `call_${++n}`;
};

describe('composeChoices', () => {
  it('auto: calls the first tool after a user turn, answers text after a tool result', () => {
    const [call] = composeChoices(request({}), 16, ids());
    expect(call).toMatchObject({
      finish: 'tool_calls',
      text: null,
      toolCall: { name: 'lookup', arguments: '{"q":"text"}', id: 'call_1' },
    });
    expect(call?.completionTokens).toBe(1 + 9);
    const [text] = composeChoices(request({ endsWithUserTurn: false }), 16, ids());
    expect(text?.toolCall).toBeUndefined();
    expect(text?.completionTokens).toBe(16);
  });

  it('required and named tools are always called; none never', () => {
    expect(
      composeChoices(
        request({ endsWithUserTurn: false, toolChoice: { mode: 'required' } }),
        16,
        ids(),
      )[0]?.toolCall?.name,
    ).toBe('lookup');
    expect(
      composeChoices(
        request({ endsWithUserTurn: false, toolChoice: { mode: 'named', name: 'other' } }),
        16,
        ids(),
      )[0]?.toolCall?.name,
    ).toBe('other');
    expect(
      composeChoices(
        request({ toolChoice: { mode: 'required', allowed: ['other'] } }),
        16,
        ids(),
      )[0]?.toolCall?.name,
    ).toBe('other');
    expect(
      composeChoices(request({ toolChoice: { mode: 'none' } }), 16, ids())[0]?.toolCall,
    ).toBeUndefined();
  });

  it('adds a preamble sentence before the call when asked (Anthropic auto)', () => {
    const [choice] = composeChoices(request({ toolPreamble: true }), 16, ids());
    expect(choice?.text?.text).toBe('I will use lookup tool.');
    expect(choice?.completionTokens).toBe(6 + 1 + 9);
  });

  it('answers JSON for JSON output formats, cut by max_tokens', () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
    const [json] = composeChoices(
      request({ prompt: { tools: [], messages: [] }, output: { kind: 'json_schema', schema } }),
      16,
      ids(),
    );
    expect(json?.text?.text).toBe('{"a":0}');
    const [object] = composeChoices(
      request({ prompt: { tools: [], messages: [] }, output: { kind: 'json_object' } }),
      6,
      ids(),
    );
    expect(JSON.parse(object?.text?.text ?? '')).toEqual({
      reply: 'Simulated reply to: find.',
    });
    const [cut] = composeChoices(
      request({
        prompt: { tools: [], messages: [] },
        output: { kind: 'json_schema', schema },
        maxTokens: 3,
      }),
      16,
      ids(),
    );
    expect(cut).toMatchObject({ finish: 'length', completionTokens: 3, text: { text: '{"a' } });
  });

  it('gives n different choices', () => {
    const choices = composeChoices(
      request({ prompt: { tools: [], messages: [] }, n: 3 }),
      10,
      ids(),
    );
    expect(choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(choices.map((c) => c.text?.text)).size).toBe(3);
  });
});
