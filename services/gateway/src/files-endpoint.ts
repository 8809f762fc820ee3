import { Readable } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import {
  FilePurposes,
  FileTooLargeError,
  isFileId,
  type FileObject,
  type FilePurpose,
  type StoredFile,
} from '@switchyard/batches';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { badRequest, GatewayError, OpenAiErrorTypes } from './gateway-error';
import { limitParam, listPage, stringParam } from './list-params';

/** The 404 of a file id the caller's tenant does not have (OpenAI's wording). */
export function noSuchFile(id: string): GatewayError {
  return new GatewayError({
    status: 404,
    type: OpenAiErrorTypes.invalidRequest,
    code: 'file_not_found',
    message: `No such File object: ${id}`,
    param: 'id',
  });
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError({
    status: 413,
    type: OpenAiErrorTypes.invalidRequest,
    code: 'file_too_large',
    message: `The file is larger than ${maxBytes} bytes, the most a file may have.`,
    param: 'file',
  });
}

/** What the caller may upload as `purpose`: only batch input is taken. */
function uploadPurpose(value: string | undefined): FilePurpose {
  if (value === undefined) {
    throw badRequest('missing_purpose', "Missing required parameter: 'purpose'.", 'purpose');
  }
  if (value !== 'batch') {
    throw badRequest(
      'unsupported_purpose',
      `purpose ${JSON.stringify(value)} is not supported; this server stores files with purpose "batch"`,
      'purpose',
    );
  }
  return value;
}

function fileId(req: FastifyRequest): string {
  const { id } = req.params as { id?: string };
  if (id === undefined || !isFileId(id)) throw noSuchFile(String(id));
  return id;
}

/**
 * `POST /v1/files` (multipart: `file` and `purpose`): stores the file for the caller's tenant
 * while it streams in, counting its bytes and lines. More than `max_file_bytes` is a 413; a
 * batch input with more than `max_requests_per_file` lines, a missing or other purpose, or no
 * file is a 400, and nothing stays stored.
 */
export async function uploadFile(
  ctx: GatewayContext,
  req: FastifyRequest,
  caller: Caller,
): Promise<FileObject> {
  const { maxFileBytes, maxRequestsPerFile } = ctx.config.switchyard.batches;
  let stored: StoredFile | undefined;
  let purposeField: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'purpose') purposeField = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || stored !== undefined) {
        throw badRequest('unexpected_file', 'Send exactly one file, in the field "file".', 'file');
      }
      stored = await storeUpload(ctx, caller, part, maxFileBytes);
    }
    if (stored === undefined) {
      throw badRequest('missing_file', "Missing required parameter: 'file'.", 'file');
    }
    const purpose = uploadPurpose(purposeField);
    if (stored.lines > maxRequestsPerFile) {
      throw badRequest(
        'too_many_lines',
        `The file has ${stored.lines} lines; a batch input file may have at most ${maxRequestsPerFile}.`,
        'file',
      );
    }
    await ctx.files.setPurpose(caller.tenant, stored.id, purpose);
    const file = await ctx.files.get(caller.tenant, stored.id);
    if (file === null) throw new Error(`file ${stored.id} vanished after it was stored`);
    return file;
  } catch (error) {
    if (stored !== undefined)
      await ctx.files.discard(caller.tenant, stored.id).catch(() => undefined);
    if (error instanceof FileTooLargeError || isMultipartTooLarge(error)) {
      throw tooLarge(maxFileBytes);
    }
    throw error;
  }
}

async function storeUpload(
  ctx: GatewayContext,
  caller: Caller,
  part: MultipartFile,
  maxBytes: number,
): Promise<StoredFile> {
  return ctx.files.put(caller.tenant, {
    filename: part.filename || 'upload.jsonl',
    data: Readable.toWeb(part.file) as ReadableStream<Uint8Array>,
    maxBytes,
  });
}

function isMultipartTooLarge(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
}

/** `GET /v1/files`: the caller's files, newest first (`order`, `after`, `limit`, `purpose`). */
export async function listFiles(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const query = req.query as Record<string, unknown>;
  const purpose = stringParam(query['purpose'], 'purpose');
  if (purpose !== undefined && !(FilePurposes as readonly string[]).includes(purpose)) {
    return listPage([], false);
  }
  const order = stringParam(query['order'], 'order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw badRequest('invalid_order', 'order must be "asc" or "desc"', 'order');
  }
  const after = stringParam(query['after'], 'after');
  const page = await ctx.files.list(caller.tenant, {
    ...(purpose === undefined ? {} : { purpose: purpose as FilePurpose }),
    ...(after === undefined ? {} : { after }),
    limit: limitParam(query['limit'], 10_000, 10_000),
    order,
  });
  return listPage(page.data, page.hasMore);
}

/** `GET /v1/files/{id}`. */
export async function retrieveFile(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const id = fileId(req);
  const file = await ctx.files.get(caller.tenant, id);
  if (file === null) throw noSuchFile(id);
  return file;
}

/** `GET /v1/files/{id}/content`: the file's bytes, streamed from the store. */
export async function sendFileContent(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
): Promise<FastifyReply> {
  const id = fileId(req);
  const content = await ctx.files.content(caller.tenant, id);
  if (content === null) throw noSuchFile(id);
  return reply.header('content-type', 'application/octet-stream').send(Readable.fromWeb(content));
}

/** `DELETE /v1/files/{id}`. */
export async function deleteFile(ctx: GatewayContext, req: FastifyRequest, caller: Caller) {
  const id = fileId(req);
  if (!(await ctx.files.delete(caller.tenant, id))) throw noSuchFile(id);
  return { id, object: 'file', deleted: true };
}
