import { createHash } from 'node:crypto';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * The default batch id: `b-` and 24 hex characters of sha256(tenant, input file bytes). The
 * same file for the same tenant always gets the same id, so running it again resumes it.
 */
export function defaultBatchId(tenant: string, input: Buffer): string {
  return `b-${sha256(Buffer.concat([Buffer.from(`${tenant}\n`), input])).slice(0, 24)}`;
}

/**
 * The job id of one request of a batch: the batch id (up to 60 characters) and 40 hex
 * characters of sha256(batch id, custom_id), valid as a job id whatever the custom_id holds.
 * Deterministic, so a resumed run publishes a request under the id it had before and
 * JetStream's duplicate window stores it once.
 */
export function batchJobId(batchId: string, customId: string): string {
  return `${batchId.slice(0, 60)}:${sha256(`${batchId}\u0000${customId}`).slice(0, 40)}`;
}

/** The `id` of an output line (OpenAI's `batch_req_…`), derived from the job id. */
export function outputLineId(jobId: string): string {
  return `batch_req_${sha256(jobId).slice(0, 24)}`;
}
