import { describe, expect, it } from 'vitest';
import { decodeJob } from './decode';
import { embeddingInputs } from './embeddings-request.schema';
import { isEmbeddingsJob, isEmbeddingsRequest } from './job.schema';

const envelope = { v: 1, id: 'job-1', tenant: 'acme', model: 'embed', submitted_at: 1 };

describe('the job envelope with an endpoint', () => {
  it('reads a job without endpoint as chat, as every job written before embeddings', () => {
    const decoded = decodeJob(
      JSON.stringify({ ...envelope, request: { messages: [{ role: 'user', content: 'hi' }] } }),
    );
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.job.endpoint).toBeUndefined();
    expect(isEmbeddingsJob(decoded.job)).toBe(false);
    expect(isEmbeddingsRequest(decoded.job.request)).toBe(false);
  });

  it('reads an embeddings job, typed past the boundary', () => {
    const decoded = decodeJob(
      JSON.stringify({
        ...envelope,
        endpoint: 'embeddings',
        request: { input: ['a', 'b'], dimensions: 8, encoding_format: 'base64' },
      }),
    );
    if (!decoded.ok) throw new Error(decoded.error.message);
    const { job } = decoded;
    if (!isEmbeddingsJob(job)) throw new Error('expected an embeddings job');
    expect(job.request.dimensions).toBe(8);
    expect(isEmbeddingsRequest(job.request)).toBe(true);
  });

  it('refuses an embeddings job with a chat body, naming the field', () => {
    const decoded = decodeJob(
      JSON.stringify({
        ...envelope,
        endpoint: 'embeddings',
        request: { messages: [{ role: 'user', content: 'hi' }] },
      }),
    );
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.param).toBe('request.input');
  });

  it('refuses an unknown endpoint and empty or mixed inputs', () => {
    for (const [endpoint, input] of [
      ['images', 'a'],
      ['embeddings', ''],
      ['embeddings', []],
      ['embeddings', ['a', 1]],
    ] as const) {
      const decoded = decodeJob(JSON.stringify({ ...envelope, endpoint, request: { input } }));
      expect(decoded.ok, JSON.stringify(input)).toBe(false);
    }
  });
});

describe('embeddingInputs', () => {
  it('lists one entry per vector the answer holds', () => {
    expect(embeddingInputs('a')).toEqual(['a']);
    expect(embeddingInputs(['a', 'b'])).toEqual(['a', 'b']);
    expect(embeddingInputs([1, 2])).toEqual([[1, 2]]);
    expect(embeddingInputs([[1], [2, 3]])).toEqual([[1], [2, 3]]);
  });
});
