import { describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error';
import { readEmbeddingsRequest } from './embeddings-request';

const models = new Map([
  ['embed', 'embed'],
  ['embed-alias', 'embed'],
]);

function refusal(body: unknown): GatewayError {
  try {
    readEmbeddingsRequest(body, models);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('readEmbeddingsRequest', () => {
  it('takes the model (through aliases) out of the body and LiteLLM fields into the job', () => {
    const read = readEmbeddingsRequest(
      {
        model: 'embed-alias',
        input: ['a'],
        dimensions: 8,
        priority: 1,
        metadata: { tags: ['t'] },
        cache: { 'no-cache': true },
      },
      models,
    );
    expect(read).toEqual({
      model: 'embed',
      request: { input: ['a'], dimensions: 8 },
      tags: ['t'],
      priority: 'batch',
      cache: { no_cache: true },
    });
  });

  it('answers 400 naming the field for an invalid body, 404 for an unknown model', () => {
    expect(refusal({ model: 'embed', input: [] })).toMatchObject({ status: 400, param: 'input' });
    expect(refusal({ model: 'embed', input: 'a', encoding_format: 'int8' })).toMatchObject({
      status: 400,
      param: 'encoding_format',
    });
    expect(refusal({ input: 'a' })).toMatchObject({ status: 400, param: 'model' });
    expect(refusal({ model: 'embed', input: 'a', switchyard: {} })).toMatchObject({ status: 400 });
    expect(refusal({ model: 'nope', input: 'a' })).toMatchObject({ status: 404 });
  });
});
