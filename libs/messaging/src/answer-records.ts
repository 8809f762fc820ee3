import type { JetStreamManager, PubAck } from '@nats-io/jetstream';
import {
  answerRecordEnvelopeSchema,
  decodeAnswerRecord,
  formatIssues,
  makeError,
  ContractErrorCodes,
  type AnswerRecord,
  type AnswerRecordInput,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { switchyardHeaders } from './message-headers';
import { InvalidMessageError } from './messaging.errors';
import type { StreamPublish } from './stream-publisher';

/**
 * Records how a job was settled on `<root>.answers.<tenant>.<job token>` (stream LLM_ANSWERS,
 * which keeps the last record of each job) and resolves once the stream stored it.
 * `Nats-Msg-Id` is `<tenant>.<job id>#<hop>:answer`, so recording the same hop again within the
 * duplicate window is stored once.
 *
 * Checks the record's own fields (answerRecordEnvelopeSchema), not the reply, dead letter and
 * usage events it carries, which were checked where they were made: a reply is the size of a
 * completion, and parsing it again on every answer cost the worker about a sixteenth of its CPU.
 * `replyJson` is the record's reply already serialized (`JSON.stringify(record.reply)`, as a
 * worker holds it to send): it is written into the record as it is rather than serialized a
 * second time, which cost the worker ≈ 2 % of its CPU.
 *
 * Throws an InvalidMessageError (`server`) for a record that fails that check; a timeout or a
 * JetStream error as nats.js throws them.
 */
export async function publishAnswerRecord(
  js: StreamPublish,
  record: AnswerRecordInput,
  options: { subjects: SwitchyardSubjects; timeoutMs?: number; replyJson?: string },
): Promise<PubAck> {
  const parsed = answerRecordEnvelopeSchema.safeParse(record);
  if (!parsed.success) {
    throw new InvalidMessageError(
      makeError(
        'server',
        ContractErrorCodes.schema_mismatch,
        `invalid answer record: ${formatIssues(parsed.error.issues)}`,
      ),
    );
  }
  const valid = parsed.data;
  const body =
    options.replyJson === undefined || valid.reply === undefined
      ? JSON.stringify(valid)
      : `${JSON.stringify({ ...valid, reply: undefined }).slice(0, -1)},"reply":${options.replyJson}}`;
  return js.publish(options.subjects.answers(valid.tenant, valid.job_id), body, {
    msgID: `${valid.tenant}.${valid.job_id}#${valid.hop}:answer`,
    headers: switchyardHeaders(),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
}

/**
 * The last settlement recorded for a tenant's job, or null when there is none (never settled,
 * or older than the stream's max age). A direct get by subject
 * (`$JS.API.DIRECT.GET.<stream>.<root>.answers.<tenant>.<job token>`), which any replica
 * answers and which NATS permissions can limit to a tenant's own answers. A record that fails
 * the contract counts as none. Throws when JetStream does not answer.
 */
export async function readAnswerRecord(
  jsm: JetStreamManager,
  where: { stream: string; subjects: SwitchyardSubjects },
  tenant: string,
  jobId: string,
): Promise<AnswerRecord | null> {
  const msg = await jsm.direct.getMessage(where.stream, {
    last_by_subj: where.subjects.answers(tenant, jobId),
  });
  if (msg === null) return null;
  const decoded = decodeAnswerRecord(msg.data);
  return decoded.ok ? decoded.record : null;
}
