import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeChoices, type SimRequest } from '../engine';
import { measurePrompt } from '../prompt';
import { anthropicError } from './anthropic.errors';
import { anthropicBody, anthropicFrames } from './anthropic.response';
import { geminiError } from './gemini.errors';
import { geminiBody } from './gemini.response';
import { azureError, openAiError } from './openai.errors';
import { openAiBody, openAiFrames } from './openai.response';
import type { AnswerContext, Route } from './provider';

/**
 * Conformance with the providers' PUBLISHED examples (fixtures/): every field of a published
 * body is present in the simulator's body with the same JSON type (a published null allows
 * anything), and error bodies with fixed wording are equal apart from ids.
 */
function fixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'),
  ) as unknown;
}

function parse(text: string): unknown {
  return JSON.parse(text) as unknown;
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Where `actual` lacks a field of `published` or has another type. */
function gaps(actual: unknown, published: unknown, path = '$'): string[] {
  if (published === null) return [];
  if (kind(actual) !== kind(published))
    return [`${path}: ${kind(actual)} instead of ${kind(published)}`];
  if (Array.isArray(published) && Array.isArray(actual)) {
    return published.flatMap((item: unknown, i) =>
      i < actual.length ? gaps(actual[i], item, `${path}[${i}]`) : [],
    );
  }
  if (typeof published === 'object' && typeof actual === 'object' && actual !== null) {
    const have = actual as Record<string, unknown>;
    return Object.entries(published as Record<string, unknown>).flatMap(([key, value]) =>
      key in have ? gaps(have[key], value, `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return [];
}

function request(over: Partial<SimRequest>): SimRequest {
  return {
    provider: 'openai',
    model: 'gpt-4o',
    stream: false,
    prompt: {
      tools: [],
      messages: [{ role: 'user', parts: [{ kind: 'text', text: 'Hello there' }] }],
    },
    lastUserText: 'Hello there',
    endsWithUserTurn: true,
    toolChoice: { mode: 'auto' },
    toolPreamble: false,
    output: { kind: 'text' },
    n: 1,
    stop: [],
    includeUsage: true,
    ...over,
  };
}

const weatherTool = {
  name: 'get_weather',
  schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

function context(simRequest: SimRequest, route: Partial<Route> = {}): AnswerContext {
  let id = 0;
  const choices = composeChoices(simRequest, 16, () => `call_${++id}`);
  const measured = measurePrompt(simRequest.prompt);
  return {
    request: simRequest,
    route: { provider: simRequest.provider, query: new URLSearchParams(), ...route },
    choices,
    usage: {
      promptTokens: measured.promptTokens,
      completionTokens: choices.reduce((sum, choice) => sum + choice.completionTokens, 0),
      cachedTokens: 0,
      cacheWriteTokens: 0,
    },
    id: 'id-1',
    created: 1_700_000_000,
    chunkTokens: 1,
  };
}

function sseData(text: string): { event?: string; data: unknown }[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return {
        ...(event !== undefined ? { event } : {}),
        data: data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as unknown),
      };
    });
}

const withoutIds = (body: string): unknown => {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  delete parsed['request_id'];
  return parsed;
};

describe('OpenAI bodies against the published examples', () => {
  it('chat.completion', () => {
    expect(
      gaps(JSON.parse(openAiBody(context(request({})))), fixture('openai.chat-completion.json')),
    ).toEqual([]);
  });

  it('chat.completion with a tool call', () => {
    const body = parse(
      openAiBody(
        context(
          request({ prompt: { tools: [weatherTool], messages: request({}).prompt.messages } }),
        ),
      ),
    );
    expect(gaps(body, fixture('openai.chat-completion-tool-call.json'))).toEqual([]);
  });

  it('chat.completion.chunk: role, content and finish chunks', () => {
    const events = sseData(
      openAiFrames(context(request({ stream: true })))
        .map((f) => f.text)
        .join(''),
    );
    const [first, content, finish] = fixture('openai.chat-completion-chunks.json') as unknown[];
    expect(gaps(events[0]?.data, first)).toEqual([]);
    expect(gaps(events[1]?.data, content)).toEqual([]);
    const finishing = events.find((e) => JSON.stringify(e.data).includes('"finish_reason":"stop"'));
    expect(gaps(finishing?.data, finish)).toEqual([]);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('errors with fixed wording', () => {
    expect(JSON.parse(openAiError({ kind: 'bad_json' }, 'r').body)).toEqual(
      fixture('openai.error-bad-json.json'),
    );
    const overloaded = JSON.parse(
      openAiError({ kind: 'overloaded' }, '500d9fff2057e4af93a280f67002c342').body,
    ) as unknown;
    expect(overloaded).toEqual(fixture('openai.error-overloaded.json'));
    expect(JSON.parse(azureError({ kind: 'missing_version' }, 'r', 'v').body)).toEqual(
      fixture('azure.error-missing-api-version.json'),
    );
  });
});

describe('Anthropic bodies against the published examples', () => {
  const anthropic = (over: Partial<SimRequest>): SimRequest =>
    request({ provider: 'anthropic', model: 'claude-sonnet-4-5', includeUsage: false, ...over });

  it('message', () => {
    expect(
      gaps(JSON.parse(anthropicBody(context(anthropic({})))), fixture('anthropic.message.json')),
    ).toEqual([]);
  });

  it('message with text then tool_use (tool_choice auto)', () => {
    const body = parse(
      anthropicBody(
        context(
          anthropic({
            toolPreamble: true,
            prompt: { tools: [weatherTool], messages: request({}).prompt.messages },
          }),
        ),
      ),
    );
    expect(gaps(body, fixture('anthropic.message-tool-use.json'))).toEqual([]);
  });

  it('stream: the same event sequence and event shapes', () => {
    const published = sseData(
      readFileSync(new URL('./fixtures/anthropic.stream.sse', import.meta.url), 'utf8'),
    );
    const ours = sseData(
      anthropicFrames(context(anthropic({ stream: true })))
        .map((f) => f.text)
        .join(''),
    );
    const squeeze = (names: (string | undefined)[]): (string | undefined)[] =>
      names.filter((name, i) => name !== names[i - 1]);
    expect(squeeze(ours.map((e) => e.event))).toEqual(squeeze(published.map((e) => e.event)));
    for (const event of published) {
      const mine = ours.find((e) => e.event === event.event);
      expect(gaps(mine?.data, event.data, event.event)).toEqual([]);
    }
  });

  it('errors with fixed wording', () => {
    expect(withoutIds(anthropicError({ kind: 'missing_version' }, 'x').body)).toEqual(
      withoutIds(JSON.stringify(fixture('anthropic.error-missing-version.json'))),
    );
    expect(withoutIds(anthropicError({ kind: 'server_error' }, 'x').body)).toEqual(
      withoutIds(JSON.stringify(fixture('anthropic.error-internal.json'))),
    );
    expect(withoutIds(anthropicError({ kind: 'content_policy' }, 'x').body)).toEqual(
      withoutIds(JSON.stringify(fixture('anthropic.error-content-filter.json'))),
    );
    expect(JSON.parse(anthropicError({ kind: 'server_error' }, 'req_1').body)).toMatchObject({
      request_id: 'req_1',
    });
  });
});

describe('Gemini bodies against the published examples', () => {
  it('GenerateContentResponse', () => {
    const body = parse(
      geminiBody(context(request({ provider: 'gemini', model: 'gemini-2.0-flash' }))),
    );
    expect(gaps(body, fixture('gemini.generate-content.json'))).toEqual([]);
  });

  it('errors', () => {
    expect(JSON.parse(geminiError({ kind: 'invalid_key', key: 'k' }, 'r').body)).toEqual(
      fixture('gemini.error-api-key.json'),
    );
    expect(
      JSON.parse(
        geminiError({ kind: 'context_length', tokens: 1_200_293, max: 1_048_576 }, 'r').body,
      ),
    ).toEqual(fixture('gemini.error-context-length.json'));
    expect(JSON.parse(geminiError({ kind: 'overloaded' }, 'r').body)).toEqual(
      fixture('gemini.error-overloaded.json'),
    );
    const limited = parse(
      geminiError(
        {
          kind: 'rate_limit',
          retryAfterS: 30,
          scope: 'requests',
          limit: 10,
          requested: 1,
          model: 'm',
        },
        'r',
      ).body,
    );
    expect(gaps(limited, fixture('gemini.error-rate-limit.json'))).toEqual([]);
    expect(JSON.stringify(limited)).toContain('"retryDelay":"30s"');
  });
});
