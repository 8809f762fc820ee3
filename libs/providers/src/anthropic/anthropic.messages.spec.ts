import { describe, expect, it } from 'vitest';
import { translateMessages } from './anthropic.messages';
import { chatRequest, providerErrorOf } from './spec-helpers';

function translate(messages: unknown[], dropParams = false) {
  return translateMessages(chatRequest({ messages }).messages, dropParams);
}

const text = (value: string) => ({ type: 'text', text: value });
const pngData =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('translateMessages', () => {
  describe('system prompt', () => {
    it('extracts system and developer messages, wherever they are, into one string', () => {
      const out = translate([
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [text('Answer in French.')] },
      ]);
      expect(out.system).toBe('You are terse.\n\nAnswer in French.');
      expect(out.messages).toEqual([{ role: 'user', content: [text('Hi')] }]);
    });

    it('keeps text blocks when a system part carries cache_control', () => {
      const out = translate([
        {
          role: 'system',
          content: [
            text('You are a librarian.'),
            { type: 'text', text: '<book>…</book>', cache_control: { type: 'ephemeral' } },
          ],
        },
        { role: 'user', content: 'Summarise the book.' },
      ]);
      expect(out.system).toEqual([
        text('You are a librarian.'),
        { type: 'text', text: '<book>…</book>', cache_control: { type: 'ephemeral' } },
      ]);
    });

    it('sends no system prompt when there is none', () => {
      expect(translate([{ role: 'user', content: 'Hi' }])).not.toHaveProperty('system');
    });
  });

  describe('alternation repair', () => {
    it('merges consecutive messages of one role into one turn of several blocks', () => {
      const out = translate([
        { role: 'user', content: 'First.' },
        { role: 'user', content: 'Second.' },
        { role: 'assistant', content: 'One.' },
        { role: 'assistant', content: 'Two.' },
        { role: 'user', content: 'Third.' },
      ]);
      expect(out.messages).toEqual([
        { role: 'user', content: [text('First.'), text('Second.')] },
        { role: 'assistant', content: [text('One.'), text('Two.')] },
        { role: 'user', content: [text('Third.')] },
      ]);
    });

    it('puts a placeholder user turn first when the conversation starts with the assistant', () => {
      const out = translate([
        { role: 'system', content: 'Be kind.' },
        { role: 'assistant', content: 'How can I help?' },
        { role: 'user', content: 'Tell me a joke.' },
      ]);
      expect(out.messages).toEqual([
        { role: 'user', content: [text('.')] },
        { role: 'assistant', content: [text('How can I help?')] },
        { role: 'user', content: [text('Tell me a joke.')] },
      ]);
    });

    it('puts a placeholder user turn when there are only system messages', () => {
      const out = translate([{ role: 'system', content: 'Write a haiku about rain.' }]);
      expect(out).toEqual({
        system: 'Write a haiku about rain.',
        messages: [{ role: 'user', content: [text('.')] }],
      });
    });

    it('skips messages with nothing in them', () => {
      const out = translate([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Anyone there?' },
      ]);
      expect(out.messages).toEqual([
        { role: 'user', content: [text('Hi'), text('Anyone there?')] },
      ]);
    });

    it('trims trailing whitespace from a final assistant turn (prefill)', () => {
      const out = translate([
        { role: 'user', content: 'Pick A or B.' },
        { role: 'assistant', content: 'The answer is ' },
      ]);
      expect(out.messages.at(-1)).toEqual({ role: 'assistant', content: [text('The answer is')] });
    });
  });

  describe('images', () => {
    it('sends a base64 data URL inline and an https URL by address', () => {
      const out = translate([
        {
          role: 'user',
          content: [
            text('Compare these.'),
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngData}` } },
            {
              type: 'image_url',
              image_url: { url: 'https://upload.wikimedia.org/ant.jpg', detail: 'high' },
            },
          ],
        },
      ]);
      expect(out.messages[0]?.content).toEqual([
        text('Compare these.'),
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngData } },
        { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/ant.jpg' } },
      ]);
    });

    it('reads image/jpg as image/jpeg', () => {
      const out = translate([
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/4AAQ' } }],
        },
      ]);
      expect(out.messages[0]?.content[0]).toMatchObject({
        source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' },
      });
    });

    it.each([
      ['data:image/bmp;base64,Qk0=', 'not supported'],
      ['data:image/png,rawbytes', 'base64'],
      ['ftp://example.com/a.png', 'http(s)'],
    ])('rejects %s, naming the part', (url, words) => {
      const error = providerErrorOf(() =>
        translate([
          { role: 'user', content: [text('Look:'), { type: 'image_url', image_url: { url } }] },
        ]),
      );
      expect(error).toMatchObject({
        type: 'bad_request',
        code: 'invalid_value',
        param: 'messages[0].content[1].image_url.url',
      });
      expect(error.message).toContain(words);
    });
  });

  describe('tool calls and results', () => {
    const call = (id: string, args: string) => ({
      id,
      type: 'function',
      function: { name: 'get_weather', arguments: args },
    });

    it('turns tool_calls into tool_use blocks and consecutive tool results into one user turn', () => {
      const out = translate([
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            call('toolu_1', '{"location":"Paris"}'),
            call('toolu_2', '{"location":"Rome"}'),
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [text('21°C')] },
        { role: 'user', content: 'Which is warmer?' },
      ]);
      expect(out.messages).toEqual([
        { role: 'user', content: [text('Weather in Paris and Rome?')] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [text('21°C')] },
            text('Which is warmer?'),
          ],
        },
      ]);
    });

    it('puts tool results before other blocks of the same user turn', () => {
      const out = translate([
        { role: 'user', content: 'Go.' },
        { role: 'assistant', tool_calls: [call('toolu_1', '{}')] },
        { role: 'user', content: 'Also, hurry.' },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'done' },
      ]);
      expect(out.messages[2]?.content.map((block) => block.type)).toEqual(['tool_result', 'text']);
    });

    it('reads empty arguments as an empty input and sends an empty result without content', () => {
      const out = translate([
        { role: 'user', content: 'Time?' },
        { role: 'assistant', content: '', tool_calls: [call('toolu_1', '')] },
        { role: 'tool', tool_call_id: 'toolu_1', content: '' },
      ]);
      expect(out.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] },
      ]);
    });

    it.each([
      ['{"location": "Paris"', 'not valid JSON'],
      ['["Paris"]', 'JSON object'],
    ])('rejects arguments %s, naming them', (args, words) => {
      const error = providerErrorOf(() =>
        translate([
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', tool_calls: [call('toolu_1', args)] },
        ]),
      );
      expect(error).toMatchObject({
        type: 'bad_request',
        param: 'messages[1].tool_calls[0].function.arguments',
      });
      expect(error.message).toContain(words);
    });
  });

  describe('cache_control and refusals', () => {
    it('passes cache_control from a part, and from a message onto its last block', () => {
      const out = translate([
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: 'Long document',
              cache_control: { type: 'ephemeral', ttl: '1h' },
            },
          ],
        },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Question?', cache_control: { type: 'ephemeral' } },
      ]);
      expect(out.messages[0]?.content[0]).toEqual({
        type: 'text',
        text: 'Long document',
        cache_control: { type: 'ephemeral', ttl: '1h' },
      });
      expect(out.messages[2]?.content[0]).toEqual({
        type: 'text',
        text: 'Question?',
        cache_control: { type: 'ephemeral' },
      });
    });

    it('rejects a cache_control Anthropic does not know, or drops it with dropParams', () => {
      const messages = [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Doc', cache_control: { type: 'forever' } }],
        },
      ];
      const error = providerErrorOf(() => translate(messages));
      expect(error).toMatchObject({
        type: 'bad_request',
        param: 'messages[0].content[0].cache_control',
      });
      expect(translate(messages, true).messages[0]?.content[0]).toEqual(text('Doc'));
    });

    it('sends an earlier refusal as assistant text', () => {
      const out = translate([
        { role: 'user', content: 'Do something bad.' },
        { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        { role: 'user', content: 'Fine.' },
      ]);
      expect(out.messages[1]).toEqual({
        role: 'assistant',
        content: [text('I cannot help with that.')],
      });
    });
  });
});
