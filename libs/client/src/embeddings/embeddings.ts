import { makeError, type AnswerRecord, type EmbeddingsResult } from '@switchyard/contracts';
import type { ClientContext } from '../client-context';
import { buildEmbeddingsJob, type EmbeddingsCreateParams } from '../chat/build-job';
import type { RequestOptions } from '../chat/chat-params';
import { recordedReply } from '../chat/earlier-answer';
import { ServerError } from '../errors/switchyard.error';
import { finalAnswer, sendJob } from '../send-job';

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
    const sent = await sendJob(this.client, job, options, (record) => embeddingsOf(record, job));
    if ('earlier' in sent) return sent.earlier;
    return finalAnswer(sent.inbox, (reply) => {
      if (reply.object === 'list') return reply;
      throw unexpectedReply(job.id, reply.object);
    });
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
  const reply = recordedReply(record, job);
  if (reply?.object !== 'list') throw unexpectedReply(job.id, reply?.object ?? 'nothing');
  return reply;
}
