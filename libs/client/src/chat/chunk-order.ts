import type { CompletionChunk } from '@switchyard/contracts';

/** What one arriving chunk gives: the chunks that can be passed on now, or a cut stream. */
export type ChunkOrderStep =
  | { ready: CompletionChunk[] }
  | { cut: { had: string; got: string } }
  | { lost: { missing: number } };

/**
 * Puts a job's stream chunks in `switchyard.seq` order (chunks that arrive early wait for the
 * ones before them; a seq already seen is dropped) and keeps the stream to one generation: the
 * first chunk fixes `switchyard.generation`, and a chunk of another generation (the job was
 * delivered again after its stream started) cuts the stream, so a reader never gets text of
 * two generations spliced together. Chunks of one generation come from one worker in order, so
 * a final chunk that arrives with chunks missing before it means they were lost (published
 * while the connection was down): the stream is `lost`, never silently shortened.
 */
export class ChunkOrder {
  private nextSeq = 0;
  private generation: string | undefined;
  private readonly early = new Map<number, CompletionChunk>();

  /** Takes one chunk. */
  accept(chunk: CompletionChunk): ChunkOrderStep {
    const { seq, generation } = chunk.switchyard;
    this.generation ??= generation;
    if (generation !== this.generation) return { cut: { had: this.generation, got: generation } };
    if (seq < this.nextSeq || this.early.has(seq)) return { ready: [] };
    if (chunk.switchyard.final && seq > this.nextSeq + this.early.size) {
      return { lost: { missing: seq - this.nextSeq - this.early.size } };
    }
    this.early.set(seq, chunk);
    const ready: CompletionChunk[] = [];
    for (let next = this.early.get(this.nextSeq); next; next = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq);
      this.nextSeq += 1;
      ready.push(next);
    }
    return { ready };
  }
}
