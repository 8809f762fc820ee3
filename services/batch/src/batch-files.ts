import { createHash } from 'node:crypto';
import {
  outputLineFor,
  outputLineId,
  type BatchOutputLine,
  type BatchRequest,
  type FileStore,
} from '@switchyard/batches';
import type { Switchyard } from '@switchyard/client';

/** Why the lines never answered were not run. */
export type UnrunReason = 'batch_cancelled' | 'batch_expired';

const unrunMessages: Record<UnrunReason, string> = {
  batch_cancelled: 'This request was not run: the batch was cancelled.',
  batch_expired: 'This request could not be executed before the completion window expired.',
};

/** The ids of a batch's output and error files: fixed, so finalizing again replaces them. */
function fileIdOf(batchId: string, kind: 'output' | 'errors'): string {
  return `file-${createHash('sha256').update(`${batchId}:${kind}`).digest('hex').slice(0, 24)}`;
}

/** A batch's files, and the counts read while writing them. */
export interface WrittenFiles {
  outputFileId: string | null;
  errorFileId: string | null;
  completed: number;
  failed: number;
}

const encoder = new TextEncoder();

function streamOf(lines: AsyncIterable<BatchOutputLine>): ReadableStream<Uint8Array> {
  const iterator = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * Writes a batch's output file (one line per completion, in OpenAI's shape, each with its
 * usage and `switchyard.cost_usd`) and error file (one line per error answer, and one per line
 * never answered, with `unrun` as its code), from the answers in its results subject. A file
 * with no line is not written (its id is null), as OpenAI does.
 */
export async function writeBatchFiles(options: {
  files: FileStore;
  client: Switchyard;
  tenant: string;
  batchId: string;
  requests: readonly BatchRequest[];
  unrun: UnrunReason;
}): Promise<WrittenFiles> {
  const { files, client, tenant, batchId, requests } = options;
  const customIds = new Map(requests.map((r) => [r.jobId, r.customId]));
  const counts = { completed: 0, failed: 0 };
  async function* answers(kind: 'completed' | 'failed'): AsyncGenerator<BatchOutputLine> {
    const seen = new Set<string>();
    for await (const { jobId, reply } of client.batches.results(batchId, { follow: false })) {
      const customId = jobId === null ? undefined : customIds.get(jobId);
      if (jobId === null || customId === undefined || seen.has(jobId)) continue;
      const line = outputLineFor(customId, jobId, reply);
      if (line === undefined) continue;
      seen.add(jobId);
      if ((line.error === null) !== (kind === 'completed')) continue;
      counts[kind] += 1;
      yield line;
    }
    if (kind === 'completed') return;
    for (const request of requests) {
      if (seen.has(request.jobId)) continue;
      yield {
        id: outputLineId(request.jobId),
        custom_id: request.customId,
        response: null,
        error: { code: options.unrun, message: unrunMessages[options.unrun] },
      };
    }
  }
  const write = async (kind: 'completed' | 'failed', fileKind: 'output' | 'errors') => {
    const stored = await files.put(tenant, {
      id: fileIdOf(batchId, fileKind),
      filename: `${batchId}_${fileKind === 'output' ? 'output' : 'error'}.jsonl`,
      purpose: 'batch_output',
      data: streamOf(answers(kind)),
    });
    if (stored.bytes > 0) return stored.id;
    await files.delete(tenant, stored.id);
    return null;
  };
  const outputFileId = await write('completed', 'output');
  const errorFileId = await write('failed', 'errors');
  return { outputFileId, errorFileId, ...counts };
}
