import { z } from 'zod';

/** The tenant of single-tenant setups. */
export const DEFAULT_TENANT = 'default';

/**
 * A job id: 1 to 128 characters of `[A-Za-z0-9_\-:.]`. It is the job's idempotency key,
 * sent as `Nats-Msg-Id`, so a job published twice within the duplicate window runs once.
 */
export const jobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_\-:.]{1,128}$/, 'must be 1 to 128 characters of A-Z a-z 0-9 _ - : .');
export type JobId = z.infer<typeof jobIdSchema>;

/**
 * A tenant id: 1 to 64 characters of `[A-Za-z0-9_-]`. It is a subject token
 * (`llm.jobs.<tenant>.<model>`), so NATS permissions decide who may submit for whom.
 */
export const tenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 characters of A-Z a-z 0-9 _ -');
export type TenantId = z.infer<typeof tenantIdSchema>;

/**
 * A logical model name as configured (`fast-triage-model`, `openai/gpt-4o`): 1 to 256 UTF-16
 * code units of printable text, no control characters. It reaches subjects only through
 * encodeSubjectToken.
 */
export const logicalModelNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must be printable text (no control characters)');
export type LogicalModelName = z.infer<typeof logicalModelNameSchema>;

/**
 * A batch id, the last token of `llm.results.<batch>`: 1 to 128 characters of `[A-Za-z0-9_-]`.
 */
export const batchIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1 to 128 characters of A-Z a-z 0-9 _ -');
export type BatchId = z.infer<typeof batchIdSchema>;

/**
 * The id of a virtual key (never the key itself): 1 to 64 characters of `[A-Za-z0-9_-]`. A job
 * carries the id of the key it was submitted with, so spend and budgets can be kept per key.
 */
export const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 characters of A-Z a-z 0-9 _ -');
export type KeyId = z.infer<typeof keyIdSchema>;

/** A caller-chosen label for spend reports (`team:search`, `pipeline-7`): 1 to 64 characters. */
export const tagSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must be printable text (no control characters)');

/** At most 32 tags per job. */
export const tagsSchema = z.array(tagSchema).max(32);
