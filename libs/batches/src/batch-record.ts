import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** OpenAI's batch lifecycle. */
export const BatchStatuses = [
  'validating',
  'failed',
  'in_progress',
  'finalizing',
  'completed',
  'expired',
  'cancelling',
  'cancelled',
] as const;
export type BatchStatus = (typeof BatchStatuses)[number];

/** The statuses a batch does not leave. */
export const finalBatchStatuses: ReadonlySet<BatchStatus> = new Set([
  'failed',
  'completed',
  'expired',
  'cancelled',
]);

/** The one endpoint a batch's lines may call. */
export const BATCH_ENDPOINT = '/v1/chat/completions';

/** The one completion window OpenAI offers. */
export const COMPLETION_WINDOW = '24h';
export const completionWindowMs = 24 * 3_600_000;

const unixSeconds = z.number().int().nonnegative();
const nullableSeconds = unixSeconds.nullable();

/** One problem found in a batch's input, as OpenAI's `errors.data` lists them. */
export const batchProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  param: z.string().nullable(),
  line: z.number().int().nullable(),
});
export type BatchProblem = z.infer<typeof batchProblemSchema>;

/** The batch object of OpenAI's Batch API, as `/v1/batches` answers it. */
export const batchObjectSchema = z.object({
  id: z.string(),
  object: z.literal('batch'),
  endpoint: z.literal(BATCH_ENDPOINT),
  errors: z.object({ object: z.literal('list'), data: z.array(batchProblemSchema) }).nullable(),
  input_file_id: z.string(),
  completion_window: z.literal(COMPLETION_WINDOW),
  status: z.enum(BatchStatuses),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  created_at: unixSeconds,
  in_progress_at: nullableSeconds,
  expires_at: unixSeconds,
  finalizing_at: nullableSeconds,
  completed_at: nullableSeconds,
  failed_at: nullableSeconds,
  expired_at: nullableSeconds,
  cancelling_at: nullableSeconds,
  cancelled_at: nullableSeconds,
  request_counts: z.object({
    total: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
  metadata: z.record(z.string(), z.string()).nullable(),
});
export type BatchObject = z.infer<typeof batchObjectSchema>;

/**
 * A batch as the batches bucket keeps it: OpenAI's object, the tenant it belongs to, how far
 * the runner got submitting its lines, and which runner holds it until when.
 */
export const batchRecordSchema = z.object({
  batch: batchObjectSchema,
  tenant: z.string(),
  /** The virtual key it was created with; its jobs are billed to that key. */
  key_id: z.string().optional(),
  /** The models that key may use when the batch was created; empty means every model. */
  key_models: z.array(z.string()),
  /** Lines (in input order) whose jobs the jobs stream has acknowledged: 0 to total. */
  submitted: z.number().int().nonnegative(),
  /** The runner working on it, until `until_ms` unless it renews; null when none. */
  lease: z.object({ runner: z.string(), until_ms: z.number() }).nullable(),
});
export type BatchRecord = z.infer<typeof batchRecordSchema>;

/** A new batch id: `batch_`, the time in 12 hex digits, 12 random ones: later ids sort later. */
export function newBatchId(now = Date.now()): string {
  return `batch_${now.toString(16).padStart(12, '0')}${randomBytes(6).toString('hex')}`;
}

/** Whether `id` can be a batch id (what lookups accept before touching the bucket). */
export function isBatchId(id: string): boolean {
  return /^batch_[A-Za-z0-9_-]{1,100}$/.test(id);
}

/** Unix seconds of a time in milliseconds. */
export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** What a new batch starts as: `validating`, nothing counted, no runner. */
export function newBatchRecord(options: {
  tenant: string;
  keyId?: string;
  /** The models the key may use; empty means every model. */
  keyModels: readonly string[];
  inputFileId: string;
  metadata: Record<string, string> | null;
  now?: number;
}): BatchRecord {
  const now = options.now ?? Date.now();
  return {
    batch: {
      id: newBatchId(now),
      object: 'batch',
      endpoint: BATCH_ENDPOINT,
      errors: null,
      input_file_id: options.inputFileId,
      completion_window: COMPLETION_WINDOW,
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: seconds(now),
      in_progress_at: null,
      expires_at: seconds(now + completionWindowMs),
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: options.metadata,
    },
    tenant: options.tenant,
    ...(options.keyId === undefined ? {} : { key_id: options.keyId }),
    key_models: [...options.keyModels],
    submitted: 0,
    lease: null,
  };
}
