import type { PubAck } from '@nats-io/jetstream';
import { SpanKind } from '@opentelemetry/api';
import { TraceAttributes, inSpan, tracer } from '@switchyard/telemetry';
import { laneOf, makeError, type CompletionJobInput } from '@switchyard/contracts';
import {
  InvalidMessageError,
  InvalidReplySubjectError,
  JobsStreamFullError,
  publishJob,
} from '@switchyard/messaging';
import type { ClientContext } from './client-context';
import { ConnectionError, InvalidJobError, OverloadedError } from './errors/switchyard.error';

const producerTracer = tracer('switchyard.client');

/**
 * Publishes a job to its model's subject with `replyTo` as `Switchyard-Reply-To`. A job that
 * fails the contract becomes an InvalidJobError (nothing was published); a job the stream
 * did not confirm (no JetStream, no stream for the subject, timeout), after publishing it again
 * for {@link publishRetryMs}, a ConnectionError `publish_failed` with the cause; a job the jobs stream refused because it is full an
 * OverloadedError `jobs_stream_full` (HTTP 503; nothing queued, retry later). A job for a model the client knows is not configured is an
 * InvalidJobError `unknown_model`. Publishing again with the same job id is safe. The publish
 * runs in a `send <model>` producer span whose context travels in the job's headers.
 */
export async function publishClientJob(
  client: ClientContext,
  job: CompletionJobInput & { id: string },
  replyTo: string,
): Promise<PubAck> {
  if (client.models !== undefined && !client.models.has(job.model)) {
    throw new InvalidJobError(
      makeError(
        'invalid_job',
        'unknown_model',
        `unknown model ${JSON.stringify(job.model)}: the configured models are ${[...client.models].map((m) => JSON.stringify(m)).join(', ')}`,
        { param: 'model' },
      ),
      job.id,
    );
  }
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishOnce(client, job, replyTo);
    } catch (error) {
      if (!mayPublishAgain(error) || Date.now() - started >= publishRetryMs) {
        throw publishError(error, job.id);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 125 * 2 ** attempt)));
    }
  }
}

/**
 * How long a job without a stream acknowledgement is published again (a timeout, or no
 * responders while a stream leader is elected or the client reconnects): the store may have
 * happened, so saying "not queued" would be a guess. Each try carries the same `Nats-Msg-Id`,
 * which the stream dedupes for 2 minutes: the job is stored once.
 */
const publishRetryMs = 30_000;

function mayPublishAgain(error: unknown): boolean {
  return !(
    error instanceof InvalidMessageError ||
    error instanceof JobsStreamFullError ||
    error instanceof InvalidReplySubjectError
  );
}

function publishOnce(
  client: ClientContext,
  job: CompletionJobInput & { id: string },
  replyTo: string,
): Promise<PubAck> {
  return inSpan(
    producerTracer,
    `send ${job.model}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [TraceAttributes.messagingSystem]: 'nats',
        [TraceAttributes.messagingOperationType]: 'send',
        [TraceAttributes.messagingOperationName]: 'send',
        [TraceAttributes.messagingDestination]: client.subjects.jobs(
          client.tenant,
          job.model,
          laneOf(job),
        ),
        [TraceAttributes.messagingMessageId]: job.id,
        [TraceAttributes.jobId]: job.id,
        [TraceAttributes.tenant]: client.tenant,
        [TraceAttributes.logicalModel]: job.model,
      },
    },
    undefined,
    () => publishJob(client.streams, job, { replyTo, subjects: client.subjects }),
  );
}

/** The client error of a publish that failed for good. */
function publishError(error: unknown, jobId: string): Error {
  if (error instanceof InvalidMessageError) {
    return new InvalidJobError(error.error, jobId, { cause: error });
  }
  if (error instanceof JobsStreamFullError) {
    return new OverloadedError(
      makeError(
        'overloaded',
        'jobs_stream_full',
        `job ${jobId} was not queued: the jobs stream is full; retry later`,
      ),
      jobId,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectionError(
    makeError(
      'connection',
      'publish_failed',
      `job ${jobId} was not confirmed queued within ${publishRetryMs / 1000} s: ${reason}`,
    ),
    jobId,
    { cause: error },
  );
}
