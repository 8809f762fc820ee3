import { describe, expect, it } from 'vitest';
import { base64Embedding } from './run-embeddings-call';

describe('base64Embedding', () => {
  it("writes little-endian float32s as OpenAI's base64 encoding does", () => {
    const text = base64Embedding([1, -2, 0.5]);
    const bytes = Buffer.from(text, 'base64');
    expect(bytes).toHaveLength(12);
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4), bytes.readFloatLE(8)]).toEqual([
      1, -2, 0.5,
    ]);
    expect(base64Embedding([1])).toBe('AACAPw==');
  });
});
