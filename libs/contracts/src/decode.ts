import type { z } from 'zod';
import { answerRecordSchema, type AnswerRecord } from './answer-record.schema';
import { cooldownEventSchema, type CooldownEvent } from './cooldown-event.schema';
import type { ErrorType } from './error-types';
import type { SwitchyardError } from './error.schema';
import { jobIdSchema } from './ids.schema';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';
import { firstIssuePath, formatIssues } from './issues';
import { completionJobSchema, type CompletionJob } from './job.schema';
import { ContractErrorCodes, makeError } from './make-error';
import { replyMessageSchema, type ReplyMessage } from './reply.schema';
import { usageEventSchema, type UsageEvent } from './usage-event.schema';
import { CONTRACT_VERSION, unsupportedVersionMessage } from './version';

/** Bytes as they arrive from NATS, or text already decoded. */
export type WireInput = Uint8Array | string;

/** How one kind of message is decoded. */
interface WireKind<S extends z.ZodType> {
  /** The noun used in messages: "job", "reply". */
  what: string;
  schema: S;
  /** The type of the error returned when decoding fails. */
  errorType: ErrorType;
  /** Where the message keeps its contract version. */
  versionOf: (value: Record<string, unknown>) => unknown;
  /** Where the message keeps the id of its job; absent for a kind without one. */
  jobIdOf?: (value: Record<string, unknown>) => unknown;
}

type WireResult<T> =
  | { ok: true; value: T; jobId: string | null }
  | { ok: false; error: SwitchyardError; jobId: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function decodeWire<S extends z.ZodType>(
  input: WireInput,
  kind: WireKind<S>,
): WireResult<z.output<S>> {
  const fail = (code: string, message: string, jobId: string | null = null, param?: string) => ({
    ok: false as const,
    error: makeError(kind.errorType, code, message, param === undefined ? {} : { param }),
    jobId,
  });
  let text: string;
  try {
    text = typeof input === 'string' ? input : utf8.decode(input);
  } catch {
    return fail(
      ContractErrorCodes.malformed_json,
      `malformed JSON: the ${kind.what} is not valid UTF-8`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(
      ContractErrorCodes.malformed_json,
      `malformed JSON: the ${kind.what} could not be parsed (${reason})`,
    );
  }
  if (exceedsJsonDepth(value)) {
    return fail(
      ContractErrorCodes.too_deeply_nested,
      `invalid ${kind.what}: objects and arrays nest more than ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  if (!isRecord(value)) {
    return fail(
      ContractErrorCodes.schema_mismatch,
      `invalid ${kind.what}: expected a JSON object, received ${describeJson(value)}`,
    );
  }
  const idCheck =
    kind.jobIdOf === undefined ? undefined : jobIdSchema.safeParse(kind.jobIdOf(value));
  const jobId = idCheck?.success === true ? idCheck.data : null;
  const version = kind.versionOf(value);
  if (version !== undefined && version !== CONTRACT_VERSION) {
    return fail(
      ContractErrorCodes.unsupported_contract_version,
      `invalid ${kind.what}: ${unsupportedVersionMessage(version)}`,
      jobId,
    );
  }
  const parsed = kind.schema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    return fail(
      ContractErrorCodes.schema_mismatch,
      `invalid ${kind.what}: ${formatIssues(parsed.error.issues)}`,
      jobId,
      firstIssuePath(parsed.error.issues),
    );
  }
  return { ok: true, value: parsed.data, jobId };
}

/**
 * The outcome of decodeJob. On failure, `error` is an `invalid_job` error ready to send to
 * the caller, and `job_id` is the job's id when the input held a valid one (for the error
 * reply), else null.
 */
export type DecodeJobResult =
  { ok: true; job: CompletionJob } | { ok: false; error: SwitchyardError; job_id: string | null };

/**
 * Reads a job from the bytes (or text) of a message. Never throws: malformed JSON, an
 * unknown contract version and a job that fails the schema each become an `invalid_job`
 * error whose message says which (for the schema, every failing field path).
 */
export function decodeJob(input: WireInput): DecodeJobResult {
  const result = decodeWire(input, {
    what: 'job',
    schema: completionJobSchema,
    errorType: 'invalid_job',
    versionOf: (value) => value['v'],
    jobIdOf: (value) => value['id'],
  });
  return result.ok
    ? { ok: true, job: result.value }
    : { ok: false, error: result.error, job_id: result.jobId };
}

/**
 * The outcome of decodeReply. On failure, `error` is a `server` error (the service sent
 * something this client cannot read); it is not a failure of the job itself.
 */
export type DecodeReplyResult =
  { ok: true; reply: ReplyMessage } | { ok: false; error: SwitchyardError };

/** Reads whatever arrived on a job's reply subject. Never throws. */
export function decodeReply(input: WireInput): DecodeReplyResult {
  const result = decodeWire(input, {
    what: 'reply',
    schema: replyMessageSchema,
    errorType: 'server',
    versionOf: (value) => {
      const meta = value['switchyard'];
      return isRecord(meta) ? meta['v'] : undefined;
    },
  });
  return result.ok ? { ok: true, reply: result.value } : { ok: false, error: result.error };
}

/** The outcome of decodeUsageEvent; a failure is a `bad_request` error naming the fields. */
export type DecodeUsageEventResult =
  { ok: true; event: UsageEvent } | { ok: false; error: SwitchyardError };

/** Reads a usage event from the bytes (or text) of a message. Never throws. */
export function decodeUsageEvent(input: WireInput): DecodeUsageEventResult {
  const result = decodeWire(input, {
    what: 'usage event',
    schema: usageEventSchema,
    errorType: 'bad_request',
    versionOf: (value) => value['v'],
    jobIdOf: (value) => value['job_id'],
  });
  return result.ok ? { ok: true, event: result.value } : { ok: false, error: result.error };
}

/** The outcome of decodeAnswerRecord; a failure is a `server` error naming the fields. */
export type DecodeAnswerRecordResult =
  { ok: true; record: AnswerRecord } | { ok: false; error: SwitchyardError };

/** Reads an answer record (stream LLM_ANSWERS). Never throws. */
export function decodeAnswerRecord(input: WireInput): DecodeAnswerRecordResult {
  const result = decodeWire(input, {
    what: 'answer record',
    schema: answerRecordSchema,
    errorType: 'server',
    versionOf: (value) => value['v'],
    jobIdOf: (value) => value['job_id'],
  });
  return result.ok ? { ok: true, record: result.value } : { ok: false, error: result.error };
}

/** Reads a cooldown event (`<root>.events.cooldown.<deployment>`); null when it is not one. */
export function decodeCooldownEvent(input: WireInput): CooldownEvent | null {
  const result = decodeWire(input, {
    what: 'cooldown event',
    schema: cooldownEventSchema,
    errorType: 'server',
    versionOf: (value) => value['v'],
  });
  return result.ok ? result.value : null;
}
