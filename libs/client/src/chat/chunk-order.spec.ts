import type { CompletionChunk } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { cannedChunks } from '../fake-worker.test-support';
import { ChunkOrder } from './chunk-order';

const job = {
  v: 1 as const,
  id: 'order-job',
  tenant: 'default',
  model: 'm',
  request: { messages: [{ role: 'user' as const, content: 'x' }] },
  submitted_at: 1,
  route: [],
};
const [c0, c1, c2] = cannedChunks(job, ['a', 'b', 'c']) as [
  CompletionChunk,
  CompletionChunk,
  CompletionChunk,
];
const seqs = (chunks: CompletionChunk[]) => chunks.map((c) => c.switchyard.seq);

describe('ChunkOrder', () => {
  it('passes chunks on in seq order, holding early ones back', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(c1))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c0))).toEqual([0, 1, 2]);
  });

  it('drops a chunk already passed on or already waiting', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(c0))).toEqual([0]);
    expect(seqs(order.accept(c0))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c1))).toEqual([1, 2]);
    expect(seqs(order.accept(c1))).toEqual([]);
  });
});
