import type { NatsConnection } from '@nats-io/nats-core';
import { streamNames } from '@switchyard/contracts';

/** Where an installation keeps a tenant's jobs and dead letters. */
export interface JobLocation {
  subjectRoot: string;
  streamPrefix: string;
  tenant: string;
}

/** The reply of `$JS.API.STREAM.MSG.GET`: a message (headers base64) or an error. */
interface MsgGetReply {
  message?: { seq: number; hdrs?: string };
  error?: { code: number; err_code?: number; description?: string };
}

const msgIdHeader = /^Nats-Msg-Id:\s*(.+?)\s*$/im;

/**
 * The job id a `Nats-Msg-Id` belongs to (see jobMessageId): the part between `<tenant>.` and
 * `#<hop>…`.
 */
function jobIdOf(msgId: string): string {
  const hash = msgId.indexOf('#');
  const scoped = hash === -1 ? msgId : msgId.slice(0, hash);
  return scoped.slice(scoped.indexOf('.') + 1);
}

/**
 * Every message id stored on `subject` (wildcards allowed) in `stream`, one
 * `STREAM.MSG.GET {seq, next_by_subj}` request per message. No consumer is made: the jobs
 * stream is a work queue, which allows none besides the model consumers.
 */
async function storedMessageIds(
  nc: NatsConnection,
  stream: string,
  subject: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = 1; ;) {
    const reply = await nc.request(
      `$JS.API.STREAM.MSG.GET.${stream}`,
      JSON.stringify({ seq, next_by_subj: subject }),
      { timeout: 5_000 },
    );
    const { message, error } = reply.json<MsgGetReply>();
    if (error !== undefined) {
      if (error.code === 404) return ids;
      throw new Error(`reading ${stream}: ${error.description ?? `error ${error.code}`}`);
    }
    if (message === undefined) return ids;
    const headers =
      message.hdrs === undefined ? '' : Buffer.from(message.hdrs, 'base64').toString('utf8');
    const id = msgIdHeader.exec(headers)?.[1];
    if (id !== undefined) ids.push(id);
    seq = message.seq + 1;
  }
}

/**
 * Which of `jobIds` were published: those still in the jobs stream (queued, or being served:
 * a work queue keeps a job until it is acknowledged) or ever dead-lettered (the dead-letter
 * stream keeps them for its max age, 14 days by default), under the tenant's subjects.
 *
 * Read the results of the batch **after** this: a worker publishes a job's answer (or its
 * dead letter) before acknowledging the job, so a published job missing from both streams
 * here has its answer stored by then. A job in none of the three was never published.
 */
export async function findPublishedJobs(
  nc: NatsConnection,
  location: JobLocation,
  jobIds: ReadonlySet<string>,
): Promise<Set<string>> {
  const streams = streamNames(location.streamPrefix);
  const found = new Set<string>();
  const look = async (stream: string, kind: 'jobs' | 'dlq') => {
    const subject = `${location.subjectRoot}.${kind}.${location.tenant}.>`;
    for (const msgId of await storedMessageIds(nc, stream, subject)) {
      const jobId = jobIdOf(msgId);
      if (jobIds.has(jobId)) found.add(jobId);
    }
  };
  await look(streams.jobs, 'jobs');
  await look(streams.dlq, 'dlq');
  return found;
}
