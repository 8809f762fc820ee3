import { completionChunkSchema, completionJobSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { cannedResult } from '../fake-worker.test-support';
import { resultAsChunk } from './result-as-chunk';

describe('resultAsChunk', () => {
  it('turns a result into one valid final chunk with its usage and metadata', () => {
    const job = completionJobSchema.parse({
      v: 1,
      id: 'cached-job',
      tenant: 'default',
      model: 'm',
      request: { messages: [{ role: 'user', content: 'x' }] },
      submitted_at: 1,
    });
    const result = cannedResult(job, 'cached answer');
    const chunk = resultAsChunk(result);
    expect(completionChunkSchema.parse(chunk)).toEqual(chunk);
    expect(chunk).toMatchObject({
      choices: [{ delta: { role: 'assistant', content: 'cached answer' }, finish_reason: 'stop' }],
      usage: result.usage,
      switchyard: { ...result.switchyard, seq: 0, final: true },
    });
  });
});
