import type { CompletionChunk } from '@switchyard/contracts';

/**
 * Puts a job's stream chunks in `switchyard.seq` order: chunks that arrive early wait for
 * the ones before them, and a chunk whose seq was already seen (a redelivered job streaming
 * again) is dropped.
 */
export class ChunkOrder {
  private nextSeq = 0;
  private readonly early = new Map<number, CompletionChunk>();

  /** The chunks that can be passed on now, in order (none when this one must wait). */
  accept(chunk: CompletionChunk): CompletionChunk[] {
    const { seq } = chunk.switchyard;
    if (seq < this.nextSeq || this.early.has(seq)) return [];
    this.early.set(seq, chunk);
    const ready: CompletionChunk[] = [];
    for (let next = this.early.get(this.nextSeq); next; next = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq);
      this.nextSeq += 1;
      ready.push(next);
    }
    return ready;
  }
}
