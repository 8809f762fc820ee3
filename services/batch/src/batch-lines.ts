import {
  parseBatchInput,
  type BatchProblem,
  type BatchRecord,
  type BatchRequest,
  type FileStore,
} from '@switchyard/batches';

/** What the runner needs to read a batch's input. */
export interface BatchLinesContext {
  files: FileStore;
  /** The configured logical models. */
  models: ReadonlySet<string>;
  /** `switchyard.batches.max_requests_per_file`. */
  maxRequests: number;
}

/** A batch's requests, or why the batch fails validation. */
export type BatchLines =
  { ok: true; requests: BatchRequest[] } | { ok: false; problems: BatchProblem[] };

/** At most this many problems are listed in a failed batch's `errors.data`. */
const maxListedProblems = 1_000;

const problem = (code: string, message: string, line: number | null = null): BatchProblem => ({
  code,
  message,
  param: null,
  line,
});

/**
 * Reads and checks a batch's input file: every line a valid request for a configured model
 * its key may use, custom_ids unique, at most `maxRequests` of them. The input file never
 * changes, so reading it again after a restart gives the same requests (and job ids).
 */
export async function readBatchLines(
  ctx: BatchLinesContext,
  record: BatchRecord,
): Promise<BatchLines> {
  const { tenant, batch } = record;
  const text = await ctx.files.text(tenant, batch.input_file_id);
  if (text === null) {
    return {
      ok: false,
      problems: [problem('file_not_found', `input file ${batch.input_file_id} does not exist`)],
    };
  }
  const parsed = parseBatchInput(text, { batchId: batch.id, tenant, models: ctx.models });
  const problems = parsed.problems.map((p) => problem('invalid_request', p.message, p.line));
  const allowed = new Set(record.key_models);
  for (const request of parsed.requests) {
    if (allowed.size > 0 && !allowed.has(request.job.model)) {
      problems.push(
        problem(
          'model_not_allowed',
          `the key that created this batch may not use model ${JSON.stringify(request.job.model)}`,
          request.line,
        ),
      );
    }
  }
  if (parsed.requests.length > ctx.maxRequests) {
    problems.unshift(
      problem(
        'too_many_requests',
        `the input file has ${parsed.requests.length} requests; a batch may have at most ${ctx.maxRequests}`,
      ),
    );
  }
  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ok: false, problems: problems.slice(0, maxListedProblems) };
  }
  return { ok: true, requests: parsed.requests };
}
