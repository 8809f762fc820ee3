import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { FileTooLargeError, newBatchRecord, type BatchRecord } from '@switchyard/batches';
import { UserError } from '@switchyard/entrypoint';
import type { BatchStores } from './batch-stores';

/** What {@link submitBatch} uploads and creates. */
export interface BatchSubmission {
  tenant: string;
  inputPath: string;
  metadata: Record<string, string> | null;
  /** `switchyard.batches.max_file_bytes`. */
  maxFileBytes: number;
  /** `switchyard.batches.max_requests_per_file`. */
  maxRequestsPerFile: number;
}

/**
 * Does what `POST /v1/files` and `POST /v1/batches` do, straight on the buckets: stores the
 * input file for the tenant with the purpose `batch` (streamed, at most `maxFileBytes`, at
 * most `maxRequestsPerFile` lines, or nothing stays stored) and creates a `validating` batch
 * over it for the batch runner. The purpose is known before the bytes here (unlike a multipart
 * upload), so the file is stored with it: a refused file is found and deleted again. The batch has no virtual key: every model is allowed
 * and its jobs are billed to the tenant alone. Resolves to the new batch record.
 */
export async function submitBatch(
  { files, batches }: BatchStores,
  submission: BatchSubmission,
): Promise<BatchRecord> {
  const { tenant, inputPath } = submission;
  try {
    if (!statSync(inputPath).isFile()) throw new Error('not a file');
  } catch (error) {
    throw new UserError(`cannot read ${inputPath}: ${(error as Error).message}`);
  }
  let stored;
  try {
    stored = await files.put(tenant, {
      filename: basename(inputPath),
      data: Readable.toWeb(createReadStream(inputPath)) as ReadableStream<Uint8Array>,
      purpose: 'batch',
      maxBytes: submission.maxFileBytes,
    });
  } catch (error) {
    if (error instanceof FileTooLargeError) {
      throw new UserError(
        `${inputPath} is larger than ${submission.maxFileBytes} bytes (switchyard.batches.max_file_bytes)`,
      );
    }
    throw error;
  }
  try {
    if (stored.lines > submission.maxRequestsPerFile) {
      throw new UserError(
        `${inputPath} has ${stored.lines} lines; a batch may have at most ${submission.maxRequestsPerFile} (switchyard.batches.max_requests_per_file)`,
      );
    }
    const record = newBatchRecord({
      tenant,
      keyModels: [],
      inputFileId: stored.id,
      metadata: submission.metadata,
    });
    await batches.create(record);
    return record;
  } catch (error) {
    await files.delete(tenant, stored.id).catch(() => false);
    throw error;
  }
}
