import type { BatchResult } from '@switchyard/client';
import { outputLineFor } from '@switchyard/batches';
import type { BatchRequest } from '@switchyard/batches';
import type { LineAppender } from './batch-files';

/**
 * Turns a batch's results into output lines, once per request: keeps the requests still
 * waiting by job id, writes the line of each one's first final reply, and lets a submitter
 * wait for a request's answer.
 */
export class ResultCollector {
  private readonly waiting = new Map<string, BatchRequest>();
  private readonly answerWaiters = new Map<string, () => void>();
  private allDone: (() => void) | undefined;
  /** Resolves once every request has its line. */
  readonly finished: Promise<void>;
  succeeded = 0;
  failed = 0;

  constructor(
    requests: readonly BatchRequest[],
    private readonly output: LineAppender,
  ) {
    for (const request of requests) this.waiting.set(request.jobId, request);
    this.finished = new Promise((resolve) => {
      this.allDone = resolve;
    });
    this.checkDone();
  }

  /** Requests without a line yet. */
  get remaining(): number {
    return this.waiting.size;
  }

  /** Whether this request still waits for its answer. */
  isWaiting(jobId: string): boolean {
    return this.waiting.has(jobId);
  }

  /** Writes the line of a final reply to a waiting request; ignores anything else. */
  accept(result: BatchResult): void {
    const request = result.jobId === null ? undefined : this.waiting.get(result.jobId);
    if (request === undefined) return;
    const line = outputLineFor(request.customId, request.jobId, result.reply);
    if (line === undefined) return;
    this.settle(request, line);
  }

  /** Writes a line for a request that could not be submitted. */
  fail(request: BatchRequest, line: object): void {
    if (this.waiting.has(request.jobId)) this.settle(request, line);
  }

  /** Resolves once the request has its line (at once if it has). */
  answered(jobId: string): Promise<void> {
    if (!this.waiting.has(jobId)) return Promise.resolve();
    return new Promise((resolve) => this.answerWaiters.set(jobId, resolve));
  }

  private settle(request: BatchRequest, line: object): void {
    this.output.append(line);
    this.waiting.delete(request.jobId);
    if ('error' in line && line.error !== null) this.failed += 1;
    else this.succeeded += 1;
    this.answerWaiters.get(request.jobId)?.();
    this.answerWaiters.delete(request.jobId);
    this.checkDone();
  }

  private checkDone(): void {
    if (this.waiting.size === 0) this.allDone?.();
  }
}
