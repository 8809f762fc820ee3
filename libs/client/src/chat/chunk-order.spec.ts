import type { CompletionChunk } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { cannedChunks } from '../fake-worker.test-support';
import { ChunkOrder, type ChunkOrderStep } from './chunk-order';

const job = {
  v: 1 as const,
  id: 'order-job',
  tenant: 'default',
  model: 'm',
  request: { messages: [{ role: 'user' as const, content: 'x' }] },
  submitted_at: 1,
  route: [],
};
const [c0, c1, c2, c3] = cannedChunks(job, ['a', 'b', 'c', 'd']) as [
  CompletionChunk,
  CompletionChunk,
  CompletionChunk,
  CompletionChunk,
];
const seqs = (step: ChunkOrderStep) =>
  'ready' in step ? step.ready.map((c) => c.switchyard.seq) : step;
/** The same chunk, from another delivery of the job. */
const regenerated = (chunk: CompletionChunk): CompletionChunk => ({
  ...chunk,
  switchyard: { ...chunk.switchyard, generation: '0.2' },
});

describe('ChunkOrder', () => {
  it('passes chunks on in seq order, holding early ones back', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(c1))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c0))).toEqual([0, 1, 2]);
    expect(seqs(order.accept(c3))).toEqual([3]);
  });

  it('drops a chunk already passed on or already waiting', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(c0))).toEqual([0]);
    expect(seqs(order.accept(c0))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(seqs(order.accept(c1))).toEqual([1, 2]);
    expect(seqs(order.accept(c1))).toEqual([]);
    expect(seqs(order.accept(c3))).toEqual([3]);
  });

  it('cuts the stream at a chunk of another generation, whatever its seq', () => {
    for (const later of [regenerated(c0), regenerated(c1), regenerated(c3)]) {
      const order = new ChunkOrder();
      expect(seqs(order.accept(c0))).toEqual([0]);
      expect(order.accept(later)).toEqual({ cut: { had: '0.1', got: '0.2' } });
    }
  });

  it('follows the first generation it sees', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(regenerated(c0)))).toEqual([0]);
    expect(seqs(order.accept(regenerated(c1)))).toEqual([1]);
    expect(order.accept(c3)).toEqual({ cut: { had: '0.2', got: '0.1' } });
  });

  it('says a final chunk that arrives with chunks missing before it lost them', () => {
    const order = new ChunkOrder();
    expect(seqs(order.accept(c0))).toEqual([0]);
    expect(seqs(order.accept(c2))).toEqual([]);
    expect(order.accept(c3)).toEqual({ lost: { missing: 1 } });
  });
});
