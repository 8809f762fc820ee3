import { describe, expect, it } from 'vitest';
import { decodeJob, decodeReply, decodeUsageEvent } from './decode';
import {
  contentChunk,
  finalChunk,
  validErrorReply,
  validJob,
  validResult,
  validUsageEvent,
} from './wire-fixtures';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The error message of a failed decodeJob, failing the test if it succeeded. */
function jobError(input: Uint8Array | string) {
  const result = decodeJob(input);
  if (result.ok) throw new Error('expected the job to be rejected');
  return result;
}

describe('decodeJob', () => {
  it('decodes a valid job from bytes and fills an empty route', () => {
    const result = decodeJob(bytes(validJob()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.job.id).toBe('batch-7:msg-0001');
    expect(result.job.model).toBe('openai/gpt-4o');
    expect(result.job.route).toEqual([]);
    expect(result.job.request.messages).toHaveLength(5);
  });

  it('decodes a job from text and keeps a route written by the fallback router', () => {
    const route = [
      {
        model: 'openai/gpt-4o',
        deployments: [
          {
            deployment: 'gpt-4o-east',
            provider: 'openai',
            type: 'rate_limit',
            code: 'rate_limit_exceeded',
            message: 'slow down',
          },
        ],
      },
    ];
    const result = decodeJob(JSON.stringify({ ...validJob(), route }));
    expect(result.ok && result.job.route).toEqual(route);
  });

  it('accepts the default tenant and a job without the optional fields', () => {
    const { v, id, model, request, submitted_at } = validJob();
    const result = decodeJob(
      JSON.stringify({ v, id, tenant: 'default', model, request, submitted_at }),
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ['{"v":1,', /^malformed JSON: the job could not be parsed \(/],
    ['', /^malformed JSON/],
    ['not json', /^malformed JSON/],
  ])('answers malformed JSON %j with invalid_job', (input, message) => {
    const { error, job_id } = jobError(input);
    expect(error).toMatchObject({
      type: 'invalid_job',
      code: 'malformed_json',
      status: 400,
      retryable: false,
      deployments_tried: [],
    });
    expect(error.message).toMatch(message);
    expect(job_id).toBeNull();
  });

  it('answers bytes that are not UTF-8 as malformed JSON', () => {
    const { error } = jobError(Uint8Array.from([0x7b, 0xff, 0x7d]));
    expect(error.message).toBe('malformed JSON: the job is not valid UTF-8');
  });

  it('answers JSON that is not an object', () => {
    expect(jobError('[1,2]').error.message).toBe(
      'invalid job: expected a JSON object, received an array',
    );
    expect(jobError('null').error.message).toBe(
      'invalid job: expected a JSON object, received null',
    );
  });

  it('names the failing field paths of a schema-invalid job, and keeps the job id', () => {
    const job = validJob();
    const broken = {
      ...job,
      tenant: 'acme corp',
      request: { ...job.request, messages: [{ role: 'robot', content: 'x' }] },
    };
    const { error, job_id } = jobError(JSON.stringify(broken));
    expect(error.type).toBe('invalid_job');
    expect(error.code).toBe('schema_mismatch');
    expect(error.message).toMatch(/^invalid job: /);
    expect(error.message).toContain('tenant: must be 1 to 64 characters of A-Z a-z 0-9 _ -');
    expect(error.message).toContain(
      "request.messages[0].role: Invalid discriminator value. Expected 'system' | 'developer'",
    );
    expect(error.param).toBe('tenant');
    expect(job_id).toBe('batch-7:msg-0001');
  });

  it.each([
    [{ id: '' }, 'id: must be 1 to 128 characters'],
    [{ id: 'a/b' }, 'id: must be 1 to 128 characters'],
    [{ id: 'x'.repeat(129) }, 'id: must be 1 to 128 characters'],
    [{ tenant: 't'.repeat(65) }, 'tenant: must be 1 to 64 characters'],
    [{ model: '' }, 'model: Too small'],
    [{ model: 'm'.repeat(257) }, 'model: Too big'],
    [{ model: 'bad\nname' }, 'model: must be printable text'],
    [{ submitted_at: -1 }, 'submitted_at: Too small'],
    [{ submitted_at: 1.5 }, 'submitted_at: Invalid input: expected int'],
    [{ deadline: 1_764_000_000_000 }, 'deadline: deadline must be later than submitted_at'],
    [{ cache: { ttl: 0 } }, 'cache.ttl: Too small'],
    [{ cache: { no_cache: 'yes' } }, 'cache.no_cache: Invalid input: expected boolean'],
    [{ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, 'tags: Too big'],
    [{ tags: ['x'.repeat(65)] }, 'tags[0]: Too big'],
    [{ fallbacks: [''] }, 'fallbacks[0]: Too small'],
    [
      { route: [{ model: 'm', deployments: [{ deployment: 'd' }] }] },
      'route[0].deployments[0].provider',
    ],
    [{ request: { messages: [] } }, 'request.messages: Too small'],
    [{ v: undefined }, 'v: contract version is missing (expected 1)'],
  ])('rejects %j', (patch, message) => {
    const { error } = jobError(JSON.stringify({ ...validJob(), ...patch }));
    expect(error.message).toContain(message);
  });

  it('rejects a job id that is not a string, without echoing it', () => {
    const result = jobError(JSON.stringify({ ...validJob(), id: 42 }));
    expect(result.job_id).toBeNull();
    expect(result.error.message).toContain('id: Invalid input: expected string, received number');
  });

  it('rejects a contract version it does not know, before looking at the shape', () => {
    const { error, job_id } = jobError(JSON.stringify({ v: 2, id: 'j1', something: 'new' }));
    expect(error.code).toBe('unsupported_contract_version');
    expect(error.message).toBe(
      'invalid job: unsupported contract version 2: this build understands version 1',
    );
    expect(job_id).toBe('j1');
  });

  it('lists at most ten problems and says how many more there are', () => {
    const job = validJob();
    const messages = Array.from({ length: 14 }, () => ({ role: 'user', content: 7 }));
    const { error } = jobError(JSON.stringify({ ...job, request: { messages } }));
    expect(error.message.split('; ')).toHaveLength(11);
    expect(error.message).toMatch(/… and 4 more$/);
  });

  it('never throws, whatever the input', () => {
    for (const input of ['{', '"x"', '1e999', '{"v":1,"request":{"messages":[null]}}', '\u0000']) {
      expect(() => decodeJob(input)).not.toThrow();
      expect(decodeJob(input).ok).toBe(false);
    }
  });
});

describe('decodeReply', () => {
  it.each([
    ['a result', validResult(), 'chat.completion'],
    ['a chunk', contentChunk(0, 'Hel'), 'chat.completion.chunk'],
    ['a final chunk', finalChunk(3), 'chat.completion.chunk'],
    ['an error', validErrorReply(), 'error'],
  ])('decodes %s', (_label, message, object) => {
    const result = decodeReply(bytes(message));
    expect(result.ok).toBe(true);
    expect(result.ok && result.reply.object).toBe(object);
  });

  it('narrows on object so each kind is typed', () => {
    const result = decodeReply(bytes(finalChunk(2)));
    if (!result.ok) throw new Error(result.error.message);
    const reply = result.reply;
    if (reply.object !== 'chat.completion.chunk' || !reply.switchyard.final) {
      throw new Error('expected a final chunk');
    }
    expect(reply.switchyard.fallback_path).toEqual([
      'openai/gpt-4o',
      'anthropic/claude-3.5-sonnet',
    ]);
    expect(reply.usage?.total_tokens).toBe(25);
  });

  it('rejects an unknown object kind with a server error naming the field', () => {
    const result = decodeReply(bytes({ ...validResult(), object: 'response' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      type: 'server',
      code: 'schema_mismatch',
      retryable: true,
    });
    expect(result.error.message).toContain(
      "object: Invalid discriminator value. Expected 'chat.completion' | 'chat.completion.chunk' | 'list' | 'error'",
    );
  });

  it('rejects a reply of a newer contract version with a clear message', () => {
    const result = decodeReply(bytes({ ...validResult(), switchyard: { v: 3 } }));
    expect(!result.ok && result.error.message).toBe(
      'invalid reply: unsupported contract version 3: this build understands version 1',
    );
  });

  it('rejects malformed JSON without throwing', () => {
    const result = decodeReply('{"object":');
    expect(!result.ok && result.error.code).toBe('malformed_json');
  });
});

describe('decodeUsageEvent', () => {
  it('decodes a usage event', () => {
    const result = decodeUsageEvent(bytes(validUsageEvent()));
    expect(result.ok && result.event.cost_usd).toBe(0.00251);
  });

  it('rejects a usage event with a negative token count, naming the field', () => {
    const result = decodeUsageEvent(bytes({ ...validUsageEvent(), prompt_tokens: -3 }));
    expect(!result.ok && result.error.message).toContain('prompt_tokens: Too small');
    expect(!result.ok && result.error.type).toBe('bad_request');
  });
});
