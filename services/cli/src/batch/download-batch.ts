import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { finalBatchStatuses, type BatchObject } from '@switchyard/batches';
import { UserError } from '@switchyard/entrypoint';
import { findBatch, type BatchStores } from './batch-stores';

/** Where {@link downloadBatch} writes. */
export interface BatchDownload {
  tenant: string;
  batchId: string;
  /** The output file's lines go here; standard output when absent. */
  outputPath?: string;
  /** The error file's lines go here; not written when absent. */
  errorsPath?: string;
  out: Writable;
  err: Writable;
}

const lineCount = (text: string) =>
  text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

async function fileText(stores: BatchStores, tenant: string, id: string | null): Promise<string> {
  if (id === null) return '';
  const text = await stores.files.text(tenant, id);
  if (text === null) throw new UserError(`file ${id} of the batch is no longer stored`);
  return text;
}

/**
 * Writes a final batch's output file (to `outputPath`, else standard output) and, when
 * `errorsPath` is given, its error file; a batch without one of them gets an empty file, and
 * `err` says how many lines went where. A batch that is not final yet, or that ended without
 * either file (failed in validation), is a UserError. Resolves to the batch.
 */
export async function downloadBatch(
  stores: BatchStores,
  download: BatchDownload,
): Promise<BatchObject> {
  const { tenant, batchId } = download;
  const { batch } = (await findBatch(stores.batches, tenant, batchId)).record;
  if (!finalBatchStatuses.has(batch.status)) {
    throw new UserError(
      `batch ${batchId} is ${batch.status}: its files are written when it ends (switchyard batch status ${batchId} --watch)`,
    );
  }
  if (batch.output_file_id === null && batch.error_file_id === null) {
    throw new UserError(
      `batch ${batchId} is ${batch.status} without output or error file (switchyard batch status ${batchId} says why)`,
    );
  }
  const output = await fileText(stores, tenant, batch.output_file_id);
  if (download.outputPath === undefined) download.out.write(output);
  else {
    writeFileSync(download.outputPath, output);
    download.err.write(`${lineCount(output)} output lines written to ${download.outputPath}\n`);
  }
  if (download.errorsPath !== undefined) {
    const errors = await fileText(stores, tenant, batch.error_file_id);
    writeFileSync(download.errorsPath, errors);
    download.err.write(`${lineCount(errors)} error lines written to ${download.errorsPath}\n`);
  } else if (batch.error_file_id !== null) {
    download.err.write(`batch ${batchId} has an error file too: add --errors <file> to get it\n`);
  }
  return batch;
}
