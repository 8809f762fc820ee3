import {
  BATCH_ENDPOINT,
  COMPLETION_WINDOW,
  cancelStep,
  isBatchId,
  newBatchRecord,
  type BatchObject,
} from '@switchyard/batches';
import { formatIssues } from '@switchyard/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller } from './authenticate';
import { noSuchFile } from './files-endpoint';
import type { GatewayContext } from './gateway-context';
import { badRequest, GatewayError, OpenAiErrorTypes } from './gateway-error';
import { limitParam, listPage, stringParam } from './list-params';

/** The body of `POST /v1/batches`, with OpenAI's limits on `metadata`. */
const createBatchSchema = z.object({
  input_file_id: z.string().min(1),
  endpoint: z.string(),
  completion_window: z.string(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'at most 16 keys')
    .nullable()
    .optional(),
});

function noSuchBatch(id: string): GatewayError {
  return new GatewayError({
    status: 404,
    type: OpenAiErrorTypes.invalidRequest,
    code: 'batch_not_found',
    message: `No batch found with id '${id}'.`,
    param: 'batch_id',
  });
}

function batchId(req: FastifyRequest): string {
  const { id } = req.params as { id?: string };
  if (id === undefined || !isBatchId(id)) throw noSuchBatch(String(id));
  return id;
}

/**
 * `POST /v1/batches`: a new batch of the caller's tenant over one of its `batch` files, for
 * `/v1/chat/completions` in a `24h` window. The batch runner validates its lines and runs it;
 * this answers at once with the batch `validating`.
 */
export async function createBatch(
  ctx: GatewayContext,
  req: FastifyRequest,
  caller: Caller,
): Promise<BatchObject> {
  const parsed = createBatchSchema.safeParse(req.body);
  if (!parsed.success) {
    throw badRequest('invalid_request', `Invalid batch: ${formatIssues(parsed.error.issues)}`);
  }
  const body = parsed.data;
  if (body.endpoint !== BATCH_ENDPOINT) {
    throw badRequest(
      'unsupported_endpoint',
      `endpoint ${JSON.stringify(body.endpoint)} is not supported; batches run "${BATCH_ENDPOINT}"`,
      'endpoint',
    );
  }
  if (body.completion_window !== COMPLETION_WINDOW) {
    throw badRequest(
      'invalid_completion_window',
      `completion_window must be "${COMPLETION_WINDOW}"`,
      'completion_window',
    );
  }
  const file = await ctx.files.get(caller.tenant, body.input_file_id);
  if (file === null) throw noSuchFile(body.input_file_id);
  if (file.purpose !== 'batch') {
    throw badRequest(
      'invalid_input_file',
      `file ${file.id} has purpose "${file.purpose}"; a batch reads a file uploaded with purpose "batch"`,
      'input_file_id',
    );
  }
  const record = newBatchRecord({
    tenant: caller.tenant,
    ...(caller.key === undefined ? {} : { keyId: caller.key.id }),
    keyModels: caller.key?.models ?? [],
    inputFileId: file.id,
    metadata: body.metadata ?? null,
  });
  await ctx.batches.create(record);
  return record.batch;
}

/** `GET /v1/batches/{id}`. */
export async function retrieveBatch(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const id = batchId(req);
  const stored = await ctx.batches.get(caller.tenant, id);
  if (stored === null) throw noSuchBatch(id);
  return stored.record.batch;
}

/** `GET /v1/batches`: the caller's batches, newest first (`after`, `limit` 1 to 100, 20). */
export async function listBatches(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const query = req.query as Record<string, unknown>;
  const after = stringParam(query['after'], 'after');
  const page = await ctx.batches.list(caller.tenant, {
    ...(after === undefined ? {} : { after }),
    limit: limitParam(query['limit'], 20, 100),
  });
  return listPage(
    page.data.map((record) => record.batch),
    page.hasMore,
  );
}

/**
 * `POST /v1/batches/{id}/cancel`: a validating or running batch becomes `cancelling` (the
 * runner stops submitting, cancels the jobs still queued and ends it `cancelled`); one already
 * cancelling or cancelled is answered as it is; any other status is a 409.
 */
export async function cancelBatch(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const id = batchId(req);
  let refused: string | undefined;
  const record = await ctx.batches.update(caller.tenant, id, (latest) => {
    const step = cancelStep(latest, Date.now());
    refused = step.kind === 'refused' ? step.status : undefined;
    return step.kind === 'cancel' ? step.record : null;
  });
  if (record === null) throw noSuchBatch(id);
  if (refused !== undefined) {
    throw new GatewayError({
      status: 409,
      type: OpenAiErrorTypes.invalidRequest,
      code: 'batch_not_cancellable',
      message: `Cannot cancel a batch with status '${refused}'.`,
    });
  }
  return record.batch;
}
