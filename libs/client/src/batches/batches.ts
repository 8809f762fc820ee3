import { decodeReply, makeErrorReply, streamNames, type ReplyMessage } from '@switchyard/contracts';
import type {
  ChatCompletionCreateParamsNonStreaming,
  SwitchyardJobOptions,
} from '../chat/chat-params';
import { buildJob } from '../chat/build-job';
import type { ClientContext } from '../client-context';
import { publishClientJob } from '../publish-client-job';

/** One job of a batch: a create body whose `switchyard.job_id` is required (its idempotency key). */
export type BatchJob = ChatCompletionCreateParamsNonStreaming & {
  switchyard: SwitchyardJobOptions & { job_id: string };
};

/** What a submit did. */
export interface BatchSubmission {
  batchId: string;
  /** Where the results arrive: `<root>.results.<tenant>.<batch>`, stored in LLM_RESULTS. */
  subject: string;
  /** Jobs the jobs stream stored now. */
  queued: number;
  /** Jobs it already had (same job id within its duplicate window): not queued again. */
  duplicates: number;
}

/** Options of {@link Batches.submit}. */
export interface SubmitOptions {
  /** Publishes awaiting their acknowledgement at once. @defaultValue 64 */
  concurrency?: number;
}

/** One message of a batch's results subject. */
export interface BatchResult {
  /** Its sequence in LLM_RESULTS: resume after it with `fromSeq: seq + 1`. */
  seq: number;
  /** The job it answers (null for an error about an unreadable job). */
  jobId: string | null;
  /** A result, an error, or (for a streaming job) a chunk. */
  reply: ReplyMessage;
}

/** Options of {@link Batches.results}. */
export interface ResultsOptions {
  /** The first LLM_RESULTS sequence to read; a resumed reader passes its last seq + 1. @defaultValue 1 */
  fromSeq?: number;
  /**
   * Keep waiting for results still to come (true), or end once every result stored so far
   * has been read (false). @defaultValue true
   */
  follow?: boolean;
  /** Ends the iteration (and deletes its ephemeral consumer) when aborted. */
  signal?: AbortSignal;
}

function isFinal(reply: ReplyMessage): boolean {
  return reply.object !== 'chat.completion.chunk' || reply.switchyard.final;
}

/** `client.batches`: many jobs answered on one durable results subject. */
export class Batches {
  constructor(private readonly client: ClientContext) {}

  /**
   * Publishes every job with `<root>.results.<tenant>.<batchId>` as its reply subject. Each job id is
   * its `Nats-Msg-Id`, so submitting the same batch again (after a crash or a timeout) stores
   * each job once, as long as it falls within the jobs stream's duplicate window (2 minutes
   * by default). Rejects with the first publish error (InvalidJobError, ConnectionError);
   * jobs published before it stay queued, and submitting again is safe. Jobs wait in the
   * `batch` lane unless their `switchyard.priority` says otherwise.
   */
  async submit(
    batchId: string,
    jobs: readonly BatchJob[],
    options: SubmitOptions = {},
  ): Promise<BatchSubmission> {
    const subject = this.client.subjects.results(this.client.tenant, batchId);
    const concurrency = Math.max(1, options.concurrency ?? 64);
    let queued = 0;
    let duplicates = 0;
    let next = 0;
    const publishNext = async (): Promise<void> => {
      while (next < jobs.length) {
        const params = jobs[next++] as BatchJob;
        const job = buildJob(params, { tenant: this.client.tenant });
        job.priority ??= 'batch';
        const ack = await publishClientJob(this.client, job, subject);
        if (ack.duplicate) duplicates += 1;
        else queued += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, publishNext));
    return { batchId, subject, queued, duplicates };
  }

  /**
   * Reads a batch's results subject from `fromSeq` with an ephemeral ordered consumer
   * (nothing durable, nothing acknowledged: results stay in LLM_RESULTS for its max age, one
   * day by default, and any number of readers can read them). A second final answer for a
   * job already seen in this iteration is skipped. The caller decides when it has all it
   * waits for and breaks out of the loop, or passes `follow: false`.
   */
  async *results(batchId: string, options: ResultsOptions = {}): AsyncGenerator<BatchResult> {
    const { js, subjects, streamPrefix, tenant } = this.client;
    const stream = streamNames(streamPrefix).results;
    const consumer = await js.consumers.get(stream, {
      filter_subjects: subjects.results(tenant, batchId),
      opt_start_seq: options.fromSeq ?? 1,
    });
    const follow = options.follow ?? true;
    try {
      if (!follow && (await consumer.info(true)).num_pending === 0) return;
      const messages = await consumer.consume();
      const stop = () => void messages.close();
      options.signal?.addEventListener('abort', stop, { once: true });
      if (options.signal?.aborted) stop();
      const finished = new Set<string>();
      try {
        for await (const msg of messages) {
          const decoded = decodeReply(msg.data);
          const reply = decoded.ok ? decoded.reply : makeErrorReply(decoded.error, null);
          const jobId = reply.switchyard.job_id;
          const duplicate = jobId !== null && isFinal(reply) && finished.has(jobId);
          if (jobId !== null && isFinal(reply)) finished.add(jobId);
          if (!duplicate) yield { seq: msg.seq, jobId, reply };
          if (!follow && msg.info.pending === 0) break;
        }
      } finally {
        options.signal?.removeEventListener('abort', stop);
        await messages.close();
      }
    } finally {
      await consumer.delete().catch(() => false);
    }
  }
}
