import { describe, expect, it } from 'vitest';
import { batchJobId, defaultBatchId } from './batch-ids';
import { parseBatchInput } from './batch-input';

const context = { batchId: 'b-test', tenant: 'default', models: new Set(['fast', 'slow']) };

function line(overrides: Record<string, unknown> = {}, body: Record<string, unknown> = {}): string {
  return JSON.stringify({
    custom_id: 'r1',
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'fast', messages: [{ role: 'user', content: 'hi' }], ...body },
    ...overrides,
  });
}

function problemsOf(text: string): string[] {
  return parseBatchInput(text, context).problems.map((p) => `${p.line}: ${p.message}`);
}

describe('parseBatchInput', () => {
  it('reads valid lines into jobs with deterministic ids, skipping blank lines', () => {
    const text = [line(), '', line({ custom_id: 'r2' }, { temperature: 0.2 }), '  ', ''].join('\n');
    const { requests, problems } = parseBatchInput(text, context);
    expect(problems).toEqual([]);
    expect(requests.map((r) => [r.line, r.customId])).toEqual([
      [1, 'r1'],
      [3, 'r2'],
    ]);
    expect(requests[1]?.jobId).toBe(batchJobId('b-test', 'r2'));
    expect(requests[1]?.job).toMatchObject({
      model: 'fast',
      temperature: 0.2,
      switchyard: { job_id: batchJobId('b-test', 'r2') },
    });
  });

  it('accepts CRLF line ends', () => {
    expect(
      parseBatchInput(`${line()}\r\n${line({ custom_id: 'r2' })}\r\n`, context).requests,
    ).toHaveLength(2);
  });

  it('reports malformed JSON and non-objects with their line numbers', () => {
    expect(problemsOf([line(), '{"custom_id": "x",', '[1,2]', '"text"'].join('\n'))).toEqual([
      expect.stringMatching(/^2: malformed JSON/),
      '3: must be a JSON object',
      '4: must be a JSON object',
    ]);
  });

  it('reports missing and duplicate custom_ids', () => {
    expect(
      problemsOf(
        [line(), line({ custom_id: undefined }), line({ custom_id: 7 }), line()].join('\n'),
      ),
    ).toEqual([
      '2: custom_id must be a non-empty string',
      '3: custom_id must be a non-empty string',
      '4: duplicate custom_id "r1" (first on line 1)',
    ]);
    expect(problemsOf(line({ custom_id: 'x'.repeat(513) }))).toEqual([
      '1: custom_id must be at most 512 characters',
    ]);
  });

  it('reports a wrong method or url', () => {
    expect(problemsOf(line({ method: 'GET', url: '/v1/embeddings' }))).toEqual([
      '1: method must be "POST", got "GET"',
      '1: url must be "/v1/chat/completions", got "/v1/embeddings"',
    ]);
    expect(problemsOf(line({ method: undefined }))).toEqual([
      '1: method must be "POST", got nothing',
    ]);
  });

  it('reports unknown models and invalid bodies', () => {
    expect(problemsOf(line({}, { model: 'gpt-5' }))).toEqual([
      '1: unknown model "gpt-5": the configured models are "fast", "slow"',
    ]);
    expect(problemsOf(line({ body: 'text' }))).toEqual(['1: body must be a JSON object']);
    expect(problemsOf(line({ body: { messages: [] } }))).toEqual([
      '1: body.model must name a model',
    ]);
    expect(problemsOf(line({}, { messages: [] }))).toEqual([
      expect.stringMatching(/^1: body\.messages: /),
    ]);
    expect(problemsOf(line({}, { messages: [{ role: 'wizard', content: 'x' }] }))[0]).toMatch(
      /^1: body\.messages\[0\]/,
    );
    expect(problemsOf(line({}, { stream: true }))).toEqual([
      '1: body.stream must not be true in a batch',
    ]);
  });

  it('refuses an empty file', () => {
    expect(problemsOf('\n\n')).toEqual(['1: the input file has no requests']);
  });
});

describe('batch ids', () => {
  it('derives the batch id from the tenant and the file bytes', () => {
    const a = defaultBatchId('default', Buffer.from('x'));
    expect(a).toMatch(/^b-[0-9a-f]{24}$/);
    expect(defaultBatchId('default', Buffer.from('x'))).toBe(a);
    expect(defaultBatchId('other', Buffer.from('x'))).not.toBe(a);
    expect(defaultBatchId('default', Buffer.from('y'))).not.toBe(a);
  });

  it('derives valid job ids from any custom_id, distinct per batch', () => {
    const id = batchJobId('b'.repeat(128), 'weird id / with spaces ✓');
    expect(id).toMatch(/^[A-Za-z0-9_\-:.]{1,128}$/);
    expect(batchJobId('b1', 'x')).not.toBe(batchJobId('b2', 'x'));
    expect(batchJobId('b1', 'x')).toBe(batchJobId('b1', 'x'));
  });
});
