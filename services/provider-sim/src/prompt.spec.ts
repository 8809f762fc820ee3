import { describe, expect, it } from 'vitest';
import { measurePrompt, type NeutralPrompt } from './prompt';
import { countTokens, tokenRules } from './tokens';

describe('measurePrompt', () => {
  it('adds the documented overheads to the content tokens', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const prompt: NeutralPrompt = {
      tools: [{ name: 'get_weather', description: 'Weather now', schema }],
      messages: [
        { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
        { role: 'user', name: 'ana', parts: [{ kind: 'text', text: 'Hi!' }, { kind: 'image' }] },
        {
          role: 'assistant',
          parts: [{ kind: 'tool_call', name: 'get_weather', arguments: '{"city": "Oslo"}' }],
        },
        { role: 'tool', parts: [{ kind: 'tool_result', text: 'Sunny, 21 C' }] },
      ],
    };
    const tool = tokenRules.perTool + 1 + 2 + countTokens(JSON.stringify(schema));
    const messages = tokenRules.perMessage * 4 + 3 + (1 + 2 + tokenRules.perImage) + (1 + 9) + 4;
    expect(measurePrompt(prompt).promptTokens).toBe(tool + messages + tokenRules.replyPriming);
  });

  it('gives prefix hashes that depend on everything before them', () => {
    const a = measurePrompt({
      tools: [],
      messages: [{ role: 'user', parts: [{ kind: 'text', text: 'same' }] }],
    });
    const b = measurePrompt({
      tools: [],
      messages: [{ role: 'system', parts: [{ kind: 'text', text: 'same' }] }],
    });
    expect(a.blocks).toHaveLength(2);
    expect(a.blocks[1]?.prefixTokens).toBe(tokenRules.perMessage + 1);
    expect(a.blocks[1]?.prefixHash).not.toBe(b.blocks[1]?.prefixHash);
    expect(
      measurePrompt({
        tools: [],
        messages: [{ role: 'user', parts: [{ kind: 'text', text: 'same' }] }],
      }).blocks,
    ).toEqual(a.blocks);
  });
});
