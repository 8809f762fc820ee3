import { buildJob, type BatchJob } from '@switchyard/client';
import { completionJobSchema, formatIssuePath } from '@switchyard/contracts';
import { batchJobId } from './batch-ids';

/** One valid request of the input file. */
export interface BatchRequest {
  /** 1-based line number in the input file. */
  line: number;
  customId: string;
  jobId: string;
  /** What `client.batches.submit` publishes. */
  job: BatchJob;
}

/** A line the run refuses, and why. */
export interface LineProblem {
  line: number;
  message: string;
}

/** The only method and URL a batch line may name (chat completions). */
export const batchEndpoint = { method: 'POST', url: '/v1/chat/completions' } as const;

/** Longest custom_id accepted (OpenAI allows 512 characters too). */
export const maxCustomIdLength = 512;

interface ParseContext {
  batchId: string;
  tenant: string;
  models: ReadonlySet<string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineProblems(value: unknown, context: ParseContext): string[] | BatchJob {
  if (!isObject(value)) return ['must be a JSON object'];
  const problems: string[] = [];
  const { custom_id: customId, method, url, body } = value;
  if (typeof customId !== 'string' || customId.length === 0) {
    problems.push('custom_id must be a non-empty string');
  } else if (customId.length > maxCustomIdLength) {
    problems.push(`custom_id must be at most ${maxCustomIdLength} characters`);
  }
  if (method !== batchEndpoint.method) {
    problems.push(`method must be "POST", got ${JSON.stringify(method) ?? 'nothing'}`);
  }
  if (url !== batchEndpoint.url) {
    problems.push(`url must be "/v1/chat/completions", got ${JSON.stringify(url) ?? 'nothing'}`);
  }
  if (!isObject(body)) return [...problems, 'body must be a JSON object'];
  const model = body['model'];
  if (typeof model !== 'string' || model.length === 0) {
    return [...problems, 'body.model must name a model'];
  }
  if (!context.models.has(model)) {
    problems.push(
      `unknown model ${JSON.stringify(model)}: the configured models are ${[...context.models].map((m) => JSON.stringify(m)).join(', ')}`,
    );
  }
  if (body['stream'] === true) problems.push('body.stream must not be true in a batch');
  const extras = isObject(body['switchyard']) ? body['switchyard'] : {};
  const params = {
    ...body,
    switchyard: { ...extras, job_id: batchJobId(context.batchId, String(customId)) },
  } as BatchJob;
  const parsed = completionJobSchema.safeParse(buildJob(params, { tenant: context.tenant }));
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 5)) {
      const [head, ...rest] = issue.path;
      const path = head === 'request' ? ['body', ...rest] : ['body', 'switchyard', ...issue.path];
      problems.push(`${formatIssuePath(path)}: ${issue.message}`);
    }
  }
  return problems.length > 0 ? problems : params;
}

/**
 * Reads an OpenAI Batch API input file (JSONL): every non-blank line must be
 * `{"custom_id","method":"POST","url":"/v1/chat/completions","body":{…}}` with a unique
 * custom_id, a configured model and a body that makes a valid job. Returns every request,
 * or every problem (with its line number) when there is any.
 */
export function parseBatchInput(
  text: string,
  context: ParseContext,
): { requests: BatchRequest[]; problems: LineProblem[] } {
  const requests: BatchRequest[] = [];
  const problems: LineProblem[] = [];
  const firstLineOf = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const source = raw.replace(/\r$/, '');
    if (source.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      problems.push({ line, message: `malformed JSON: ${(error as Error).message}` });
      return;
    }
    const checked = lineProblems(value, context);
    const lineIssues = Array.isArray(checked) ? [...checked] : [];
    const customId = isObject(value) ? value['custom_id'] : undefined;
    if (typeof customId === 'string' && customId.length > 0) {
      const first = firstLineOf.get(customId);
      if (first === undefined) firstLineOf.set(customId, line);
      else {
        lineIssues.unshift(
          `duplicate custom_id ${JSON.stringify(customId)} (first on line ${first})`,
        );
      }
    }
    if (Array.isArray(checked) || lineIssues.length > 0 || typeof customId !== 'string') {
      for (const message of lineIssues) problems.push({ line, message });
      return;
    }
    requests.push({ line, customId, jobId: batchJobId(context.batchId, customId), job: checked });
  });
  if (requests.length === 0 && problems.length === 0) {
    problems.push({ line: 1, message: 'the input file has no requests' });
  }
  return { requests, problems };
}
