import { z } from 'zod';
import { errorTypeSchema } from './error.schema';
import { jobIdSchema, tenantIdSchema } from './ids.schema';
import { completionJobSchema } from './job.schema';
import { requestHashSchema } from './request-hash';
import { replyMessageSchema } from './reply.schema';
import { epochMsSchema } from './units.schema';
import { usageEventSchema } from './usage-event.schema';
import { contractVersionSchema } from './version';

/**
 * How a job was settled, as recorded on `<root>.answers.<tenant>.<job token>` (stream
 * LLM_ANSWERS) before its delivery is acknowledged:
 * - `answered`: `reply` is its final message (a result, the final chunk of a stream, or an
 *   error), and `usage` the events it was billed;
 * - `dead_lettered`: it failed on its model at hop `hop` and `dead_letter` went to the
 *   dead-letter subject for the fallback router; `usage` holds the failed calls' events.
 * A delivery of the job at hop `hop` or earlier that finds the record (the worker that settled
 * it died before its acknowledgement reached the server) repeats what the record says — sends
 * the reply, republishes the usage events and the dead letter, all idempotent — and never
 * calls the provider again. `request_hash` is the job's own (set when its id is an
 * idempotency key): a job submitted again under the same id gets this answer only when its
 * request hashes the same. The fallback router records the final error of a job whose
 * fallbacks are spent the same way (`answered`, no usage).
 */
const recordFields = z.object({
  v: contractVersionSchema,
  job_id: jobIdSchema,
  tenant: tenantIdSchema,
  hop: z.int().nonnegative(),
  outcome: z.enum(['answered', 'dead_lettered']),
  reply: replyMessageSchema.optional(),
  dead_letter: z.object({ error_type: errorTypeSchema, job: completionJobSchema }).optional(),
  usage: z.array(usageEventSchema),
  request_hash: requestHashSchema.optional(),
  at: epochMsSchema,
});

export const answerRecordSchema = withSettlementChecks(recordFields).meta({
  description: 'How a Switchyard job was settled, kept by job id',
});
export type AnswerRecord = z.infer<typeof answerRecordSchema>;
export type AnswerRecordInput = z.input<typeof answerRecordSchema>;

/**
 * A record's own fields, with its reply, dead letter and usage events taken as they are: what
 * a writer checks of a record it built from parts that were checked where they were made (the
 * provider's answer as it was read, the usage events as they are published). Reading a record
 * checks all of it (answerRecordSchema).
 */
export const answerRecordEnvelopeSchema = withSettlementChecks(
  recordFields.extend({
    reply: z.unknown().optional(),
    dead_letter: z.unknown().optional(),
    usage: z.array(z.unknown()),
  }),
);

/** An answered record has a reply, a dead-lettered one its dead letter, and neither the other. */
function withSettlementChecks<
  T extends z.ZodType<{ outcome: string; reply?: unknown; dead_letter?: unknown }>,
>(schema: T) {
  return schema
    .refine((record) => (record.outcome === 'answered') === (record.reply !== undefined), {
      message: 'an answered record has a reply, a dead-lettered one none',
      path: ['reply'],
    })
    .refine(
      (record) => (record.outcome === 'dead_lettered') === (record.dead_letter !== undefined),
      { message: 'a dead-lettered record has its dead letter', path: ['dead_letter'] },
    );
}
