import type { AnswerRecord, CompletionJobInput, ReplyMessage } from '@switchyard/contracts';
import type { ClientContext } from './client-context';
import type { RequestOptions } from './chat/chat-params';
import { earlierRecord } from './chat/earlier-answer';
import { ReplyInbox } from './chat/reply-inbox';
import { errorFromWire } from './errors/switchyard.error';
import { publishClientJob } from './publish-client-job';

/**
 * A job sent with a reply inbox of its own, or, when its id was used before, the earlier job's
 * answer (what `replay` made of its record).
 */
export type SentJob<T> = { earlier: T } | { inbox: ReplyInbox };

/**
 * Sends `job` as every create call does. A job id the caller chose is looked up first: a job
 * already settled (or on its way) under it answers through `replay`. Else a fresh inbox is
 * subscribed before the job is published (with the inbox as `Switchyard-Reply-To`), so no answer
 * is missed; a timed-out or aborted wait cancels the job. When the stream already had the job id,
 * its answers go to the first caller's inbox: this caller waits for the job's answer record (and
 * never cancels the job). Rejects as publishClientJob does.
 */
export async function sendJob<T>(
  client: ClientContext,
  job: CompletionJobInput & { id: string },
  options: RequestOptions,
  replay: (record: AnswerRecord) => T,
): Promise<SentJob<T>> {
  const timeoutMs = options.timeout ?? client.timeoutMs;
  const wait = { timeoutMs, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  if (job.request_hash !== undefined && (await client.replies.record(job.id)) !== null) {
    return { earlier: replay(await earlierRecord(client, job.id, wait)) };
  }
  const inbox = new ReplyInbox(client.nc, job.id, {
    mux: client.replies,
    timeoutMs,
    cancelSubject: client.subjects.cancel(client.tenant, job.id),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  let stored;
  try {
    stored = await publishClientJob(client, job, inbox.subject);
  } catch (error) {
    inbox.close();
    throw error;
  }
  if (stored.duplicate) {
    inbox.close();
    return { earlier: replay(await earlierRecord(client, job.id, wait)) };
  }
  return { inbox };
}

/**
 * The job's first final answer on `inbox` that `accept` takes (it returns undefined to keep
 * waiting, or throws for an answer it cannot take); an error answer is thrown as the
 * SwitchyardError subclass of its type. Stops listening once the wait ends, so a duplicate
 * answer (a crashed worker's job served twice) is never seen.
 */
export async function finalAnswer<T>(
  inbox: ReplyInbox,
  accept: (reply: ReplyMessage) => T | undefined,
): Promise<T> {
  try {
    for (;;) {
      const event = await inbox.next();
      if ('failure' in event) throw event.failure;
      const { reply } = event;
      if (reply.object === 'error') throw errorFromWire(reply.error, reply.switchyard.job_id);
      const answer = accept(reply);
      if (answer !== undefined) return answer;
    }
  } finally {
    inbox.close();
  }
}
