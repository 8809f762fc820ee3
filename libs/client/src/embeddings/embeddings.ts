import { makeError, type AnswerRecord, type EmbeddingsResult } from '@switchyard/contracts';
import type { ClientContext } from '../client-context';
import { buildEmbeddingsJob, type EmbeddingsCreateParams } from '../chat/build-job';
import type { RequestOptions } from '../chat/chat-params';
import { earlierRecord } from '../chat/earlier-answer';
import { ReplyInbox } from '../chat/reply-inbox';
import { ConflictError, ServerError, errorFromWire } from '../errors/switchyard.error';
import { publishClientJob } from '../publish-client-job';

/** `client.embeddings`: embeddings over NATS, through the same queue as chat completions. */
export class Embeddings {
  constructor(private readonly client: ClientContext) {}

  /**
   * Sends an embeddings job for `params.model` and resolves to OpenAI's list of embeddings
   * (plus the `switchyard` block), as `chat.completions.create` does for a completion: a fresh
   * inbox subscribed before the job is published, the first final answer taken, a timed-out or
   * aborted job cancelled. Rejects with the SwitchyardError subclass of the error reply's type
   * (a model whose provider has no embeddings: BadRequestError `embeddings_not_supported`).
   */
  async create(
    params: EmbeddingsCreateParams,
    options: RequestOptions = {},
  ): Promise<EmbeddingsResult> {
    const timeoutMs = options.timeout ?? this.client.timeoutMs;
    const job = buildEmbeddingsJob(params, { tenant: this.client.tenant, waitMs: timeoutMs });
    const wait = { timeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) };
    if (job.request_hash !== undefined) {
      const earlier = await this.client.replies.record(job.id);
      if (earlier !== null)
        return embeddingsOf(await earlierRecord(this.client, job.id, wait), job);
    }
    const inbox = new ReplyInbox(this.client.nc, job.id, {
      mux: this.client.replies,
      timeoutMs,
      cancelSubject: this.client.subjects.cancel(this.client.tenant, job.id),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    let stored;
    try {
      stored = await publishClientJob(this.client, job, inbox.subject);
    } catch (error) {
      inbox.close();
      throw error;
    }
    if (stored.duplicate) {
      inbox.close();
      return embeddingsOf(await earlierRecord(this.client, job.id, wait), job);
    }
    try {
      for (;;) {
        const event = await inbox.next();
        if ('failure' in event) throw event.failure;
        const { reply } = event;
        if (reply.object === 'list') return reply;
        if (reply.object === 'error') throw errorFromWire(reply.error, reply.switchyard.job_id);
        throw unexpectedReply(job.id, reply.object);
      }
    } finally {
      inbox.close();
    }
  }
}

function unexpectedReply(jobId: string, object: string): ServerError {
  return new ServerError(
    makeError('server', 'unexpected_reply', `job ${jobId} was answered with ${object}`),
    jobId,
  );
}

/** The answer of an embeddings job submitted again under its id, from its record. */
function embeddingsOf(
  record: AnswerRecord,
  job: { id: string; request_hash?: string | undefined },
): EmbeddingsResult {
  if (record.request_hash !== job.request_hash) {
    throw new ConflictError(
      makeError(
        'conflict',
        'idempotency_key_reused',
        `job id ${job.id} was already used for another request; use a new id for a new request`,
      ),
      job.id,
    );
  }
  const reply = record.reply;
  if (reply?.object === 'error') throw errorFromWire(reply.error, job.id);
  if (reply?.object !== 'list') throw unexpectedReply(job.id, reply?.object ?? 'nothing');
  return reply;
}
