import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { laneOf } from '@switchyard/contracts';
import { jobMessageId, switchyardHeaders, validateJob } from '@switchyard/messaging';
import { readDeadLetter } from '@switchyard/messaging';
import { resolveDeadLetterLocation, type DeadLetterLocation } from './dead-letter-options';

/** Thrown when a dead letter cannot be replayed: it is gone, or it is not a readable job. */
export class DeadLetterReplayError extends Error {
  override readonly name = 'DeadLetterReplayError';
}

/** What a replay published. */
export interface ReplayedDeadLetter {
  jobId: string;
  /** The model the job failed on, which it is sent to again. */
  model: string;
  subject: string;
  /** `<job id>#<hop>#replay-<seq>`: fresh, so the jobs stream does not drop it as a duplicate. */
  msgId: string;
  replyTo: string | null;
  ack: PubAck;
}

/**
 * Sends a stored dead letter's job again to the model it failed on, with its reply subject
 * and its route (so the failures so far stay on record and the fallback router will not send
 * it back to a model it already went to).
 *
 * The message id is `<job id>#<hop>#replay-<seq>`, never equal to a job's or a hop's id, so
 * the jobs stream stores it even within the duplicate window of the original publish;
 * replaying the same dead letter twice within that window stores it once. When the replayed
 * job fails again, its worker appends another hop, so its new dead letter has a new id too.
 */
export async function replayDeadLetter(
  js: JetStreamClient,
  seq: number,
  location: DeadLetterLocation = {},
): Promise<ReplayedDeadLetter> {
  const { subjects, stream } = resolveDeadLetterLocation(location);
  const stored = await (await js.streams.get(stream)).getMessage({ seq });
  if (stored === null) {
    throw new DeadLetterReplayError(`no dead letter with sequence ${seq} in ${stream}`);
  }
  const read = readDeadLetter(
    { subject: stored.subject, data: stored.data, headers: stored.header },
    subjects,
  );
  if (!read.ok) {
    throw new DeadLetterReplayError(`dead letter ${seq} cannot be replayed: ${read.reason}`);
  }
  const job = validateJob(read.job);
  const msgId = `${jobMessageId(job)}#replay-${seq}`;
  const subject = subjects.jobs(job.tenant, job.model, laneOf(job));
  const ack = await js.publish(subject, JSON.stringify(job), {
    msgID: msgId,
    headers: switchyardHeaders(read.replyTo === null ? {} : { replyTo: read.replyTo }),
  });
  return { jobId: job.id, model: job.model, subject, msgId, replyTo: read.replyTo, ack };
}
