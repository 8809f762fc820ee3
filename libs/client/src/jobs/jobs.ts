import type { ReplyMessage } from '@switchyard/contracts';
import { earlierRecord } from '../chat/earlier-answer';
import type { ClientContext } from '../client-context';

/** Options of {@link Jobs.answer}. */
export interface AnswerOptions {
  /**
   * How long to wait for a job not answered yet; 0 looks once and resolves null when there is
   * no answer. @defaultValue the client's timeout
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `client.jobs`: a job's answer by its id, whoever submitted it. */
export class Jobs {
  constructor(private readonly client: ClientContext) {}

  /**
   * The final message of one of this tenant's jobs (a result, an error reply, or the final
   * chunk of a stream), as recorded in the answers stream, which keeps it for
   * `switchyard.nats.answers_max_age_seconds` (24 hours by default). A job not answered yet is
   * awaited up to `timeoutMs` (a TimeoutError `client_timeout` after it); with `timeoutMs: 0`
   * the call looks once and resolves null. Never cancels the job.
   */
  async answer(jobId: string, options: AnswerOptions = {}): Promise<ReplyMessage | null> {
    const timeoutMs = options.timeoutMs ?? this.client.timeoutMs;
    if (timeoutMs === 0) return this.client.replies.finalAnswer(jobId);
    const record = await earlierRecord(this.client, jobId, {
      timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return record.reply ?? null;
  }

  /**
   * Cancels one of this tenant's jobs: the worker serving it aborts the provider call and
   * answers `cancelled`; a job still queued is answered `cancelled` unsent. A job already
   * answered keeps its answer. Fire and forget: the cancellations stream keeps it for workers
   * that start later.
   */
  cancel(jobId: string): void {
    this.client.nc.publish(this.client.subjects.cancel(this.client.tenant, jobId));
  }
}
