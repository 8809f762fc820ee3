import { fnv1a } from './prompt';

/** The dimensions a model's vectors have when the request names none. */
const defaultDimensions: Readonly<Record<string, number>> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
  'text-embedding-005': 768,
  'text-multilingual-embedding-002': 768,
  'embed-v4.0': 1536,
  'embed-english-v3.0': 1024,
  'amazon.titan-embed-text-v2:0': 1024,
  'cohere.embed-english-v3': 1024,
};

/** The dimensions of a model's vectors: the request's, else the model's, else 1536. */
export function embeddingDimensions(model: string, requested: number | undefined): number {
  const name = model.slice(model.lastIndexOf('/') + 1);
  return requested ?? defaultDimensions[name] ?? 1536;
}

/**
 * The simulator's vector for a text: deterministic (the same text and dimensions always give
 * the same vector, on every provider), unit length, `dimensions` long. Its numbers come from a
 * xorshift generator seeded with the FNV-1a hash of the text.
 */
export function simEmbedding(text: string, dimensions: number): number[] {
  let state = fnv1a(text) || 0x9e3779b9;
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    values.push(state / 0xffffffff - 0.5);
  }
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
  return values.map((v) => v / norm);
}
