import type { PubAck } from '@nats-io/jetstream';
import { SpanKind } from '@opentelemetry/api';
import { TraceAttributes, inSpan, tracer } from '@switchyard/telemetry';
import { makeError, type CompletionJobInput } from '@switchyard/contracts';
import { InvalidMessageError, JobsStreamFullError, publishJob } from '@switchyard/messaging';
import type { ClientContext } from './client-context';
import { ConnectionError, InvalidJobError, OverloadedError } from './errors/switchyard.error';

const producerTracer = tracer('switchyard.client');

/**
 * Publishes a job to its model's subject with `replyTo` as `Switchyard-Reply-To`. A job that
 * fails the contract becomes an InvalidJobError (nothing was published); a job the stream
 * did not confirm (no JetStream, no stream for the subject, timeout) a ConnectionError
 * `publish_failed` with the cause; a job the jobs stream refused because it is full an
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
  try {
    return await inSpan(
      producerTracer,
      `send ${job.model}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          [TraceAttributes.messagingSystem]: 'nats',
          [TraceAttributes.messagingOperationType]: 'send',
          [TraceAttributes.messagingOperationName]: 'send',
          [TraceAttributes.messagingDestination]: client.subjects.jobs(client.tenant, job.model),
          [TraceAttributes.messagingMessageId]: job.id,
          [TraceAttributes.jobId]: job.id,
          [TraceAttributes.tenant]: client.tenant,
          [TraceAttributes.logicalModel]: job.model,
        },
      },
      undefined,
      () => publishJob(client.js, job, { replyTo, subjects: client.subjects }),
    );
  } catch (error) {
    if (error instanceof InvalidMessageError) {
      throw new InvalidJobError(error.error, job.id, { cause: error });
    }
    if (error instanceof JobsStreamFullError) {
      throw new OverloadedError(
        makeError(
          'overloaded',
          'jobs_stream_full',
          `job ${job.id} was not queued: the jobs stream is full; retry later`,
        ),
        job.id,
        { cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectionError(
      makeError('connection', 'publish_failed', `job ${job.id} was not queued: ${reason}`),
      job.id,
      { cause: error },
    );
  }
}
