import type { Switchyard } from '@switchyard/client';
import type { ReplyMessage } from '@switchyard/contracts';

/** How a line was answered: a completion, or an error. */
export type LineOutcome = 'completed' | 'failed';

/**
 * The answers of one batch's jobs, read from its results subject: which jobs are answered
 * and how, counted once per job whatever the stream holds twice.
 */
export class AnswerTally {
  private readonly outcomes = new Map<string, LineOutcome>();
  private readonly waiters = new Set<() => void>();
  /** Past the answers stored when {@link follow} began: answers now arrive as they are made. */
  private live = false;
  completed = 0;
  failed = 0;

  /**
   * @param jobIds the batch's job ids: answers of other jobs are ignored.
   * @param onArrival called once for each answer that arrives while following (not for the
   *   answers already stored when following began, which an earlier run saw arrive).
   */
  constructor(
    private readonly jobIds: ReadonlySet<string>,
    private readonly onArrival: (outcome: LineOutcome) => void = () => undefined,
  ) {}

  get answered(): number {
    return this.outcomes.size;
  }

  has(jobId: string): boolean {
    return this.outcomes.has(jobId);
  }

  /** Counts a final reply; chunks and replies of unknown jobs change nothing. */
  accept(jobId: string | null, reply: ReplyMessage): void {
    if (jobId === null || !this.jobIds.has(jobId) || this.outcomes.has(jobId)) return;
    if (reply.object === 'chat.completion.chunk') return;
    const outcome: LineOutcome = reply.object === 'chat.completion' ? 'completed' : 'failed';
    this.outcomes.set(jobId, outcome);
    if (outcome === 'completed') this.completed += 1;
    else this.failed += 1;
    if (this.live) this.onArrival(outcome);
    for (const wake of this.waiters) wake();
  }

  /** Resolves at the next answer, or when `signal` aborts. */
  nextAnswer(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
  }

  /**
   * Reads every answer stored so far, then follows new ones until `signal` aborts. Resolves
   * once the stored ones are read; the following goes on in `following`.
   */
  async follow(
    client: Switchyard,
    batchId: string,
    signal: AbortSignal,
  ): Promise<{ following: Promise<void> }> {
    let lastSeq = 0;
    for await (const result of client.batches.results(batchId, { follow: false })) {
      this.accept(result.jobId, result.reply);
      lastSeq = result.seq;
    }
    this.live = true;
    const following = (async () => {
      const results = client.batches.results(batchId, { fromSeq: lastSeq + 1, signal });
      for await (const result of results) this.accept(result.jobId, result.reply);
    })();
    return { following };
  }
}
