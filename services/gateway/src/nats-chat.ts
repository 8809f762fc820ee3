import { Empty, headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { ChunkStream } from '@switchyard/client';
import { HeaderNames, isTenantInbox, type SwitchyardSubjects } from '@switchyard/contracts';
import { extractTraceContext, type ServiceMsg } from '@switchyard/messaging';
import { TraceAttributes } from '@switchyard/telemetry';
import { readChatRequest } from './chat-request';
import type { GatewayContext } from './gateway-context';
import { badRequest, tooBusy } from './gateway-error';
import type { HeaderBag } from './job-headers';
import { bodyTooLarge, parseJsonBody } from './json-body';
import { failureAnswer } from './openai-error';
import { endRequestSpan, inRequestSpan } from './request-span';
import { submitChat } from './submit-job';

/** What the NATS chat endpoint needs besides the gateway's context. */
export interface NatsChatOptions {
  subjects: SwitchyardSubjects;
  /** The largest request body, in bytes (the HTTP route's limit). */
  bodyLimit: number;
}

/** How one chat request ended, for the endpoint's stats. */
export type NatsChatOutcome =
  | { answered: true; status: number }
  | { answered: false; reason: 'bad_subject' | 'reply_not_allowed' };

/** The request's NATS headers as the HTTP header bag the gateway reads (names lower-cased). */
function headerBag(headers: MsgHdrs | undefined): HeaderBag {
  const bag: Record<string, string[]> = {};
  for (const name of headers?.keys() ?? []) bag[name.toLowerCase()] = headers?.values(name) ?? [];
  return bag;
}

/**
 * The body with the subject's model: the subject names the model; a body may leave `model`
 * out or repeat it, never name another one.
 */
function withSubjectModel(body: unknown, model: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const named = (body as { model?: unknown }).model;
  if (named !== undefined && named !== model) {
    throw badRequest(
      'model_mismatch',
      `model: the body names ${JSON.stringify(named)} but the subject names ${JSON.stringify(model)}; leave it out or make them equal.`,
      'model',
    );
  }
  return { ...body, model };
}

/** Sends the error answer of `error`: its JSON body, with the status and message as headers. */
function respondWithError(msg: ServiceMsg, error: unknown): number {
  const answer = failureAnswer(error);
  const description = answer.body.error.message.replace(/[\r\n]+/g, ' ');
  msg.respondError(answer.status, description, JSON.stringify(answer.body));
  return answer.status;
}

/** Sends each chunk as its own message, then the empty end message. */
async function respondWithChunks(msg: ServiceMsg, chunks: ChunkStream): Promise<void> {
  try {
    for await (const chunk of chunks) msg.respond(JSON.stringify(chunk));
  } finally {
    chunks.close();
  }
  const end = natsHeaders();
  end.set(HeaderNames.stream, 'end');
  msg.respond(Empty, { headers: end });
}

/**
 * Answers one plain NATS request on `<root>.chat.<tenant>.<model token>` whose body is an
 * OpenAI chat-completions request as the HTTP route answers it: the same body limit, JSON
 * reader, chat request decoder, unknown-model 404, job headers (`x-switchyard-deadline-ms`,
 * tags, cache) and in-flight limit, the job published through the tenant's client. The answer
 * goes to the request's reply subject: the `chat.completion` JSON; for `stream: true` one
 * message per chunk, then an empty message with `Switchyard-Stream: end`; an error as OpenAI's
 * error JSON with the `Nats-Service-Error-Code` (the HTTP status) and `Nats-Service-Error`
 * headers, which also ends a stream. The tenant is the subject's (NATS permissions guard it);
 * there is no API key, so no virtual key's models, rpm or budget apply, only the tenant's
 * budget. A reply subject that is not an inbox of that tenant (`_INBOX.<tenant>.…`) is never
 * answered, nor is a subject that names no tenant and model. A `traceparent` header continues
 * the caller's trace. Rejects only when an answer cannot be sent at all.
 */
export async function answerNatsChat(
  ctx: GatewayContext,
  options: NatsChatOptions,
  msg: ServiceMsg,
): Promise<NatsChatOutcome> {
  const parsed = options.subjects.parse(msg.subject);
  const reply = msg.reply;
  if (!parsed.ok || parsed.kind !== 'chat') {
    const reason = parsed.ok ? 'not a chat subject' : parsed.reason;
    ctx.logger.warn({ subject: msg.subject, reply }, `chat request not answered: ${reason}`);
    return { answered: false, reason: 'bad_subject' };
  }
  if (!reply || !isTenantInbox(parsed.tenant, reply)) {
    ctx.logger.warn(
      { subject: msg.subject, reply },
      'chat request not answered: its reply subject is not an inbox of the tenant the subject names',
    );
    return { answered: false, reason: 'reply_not_allowed' };
  }
  const { tenant, model } = parsed;
  if (ctx.inFlight.full) return { answered: true, status: respondWithError(msg, tooBusy) };
  const request = ctx.inFlight.begin();
  const attributes = {
    [TraceAttributes.messagingSystem]: 'nats',
    [TraceAttributes.messagingOperationType]: 'process',
    [TraceAttributes.messagingDestination]: msg.subject,
    [TraceAttributes.tenant]: tenant,
    [TraceAttributes.logicalModel]: model,
  };
  try {
    return await inRequestSpan(
      `nats chat ${model}`,
      extractTraceContext(msg.headers),
      attributes,
      async (span) => {
        const status = await answerChat(ctx, options, msg, tenant, model, request.signal);
        endRequestSpan(span, status);
        return { answered: true, status };
      },
    );
  } finally {
    request.done();
  }
}

/** Submits the request and answers it: the completion or its chunks, or the error. */
async function answerChat(
  ctx: GatewayContext,
  options: NatsChatOptions,
  msg: ServiceMsg,
  tenant: string,
  model: string,
  signal: AbortSignal,
): Promise<number> {
  try {
    if (msg.data.length > options.bodyLimit) {
      throw bodyTooLarge(msg.data.length, options.bodyLimit);
    }
    const body = withSubjectModel(parseJsonBody(msg.string()), model);
    const chat = readChatRequest(body, ctx.models);
    const submitted = await submitChat(ctx, { tenant }, chat, headerBag(msg.headers), signal);
    if (submitted.stream) await respondWithChunks(msg, submitted.chunks);
    else msg.respond(JSON.stringify(submitted.result));
    return 200;
  } catch (error) {
    try {
      return respondWithError(msg, error);
    } catch (failure) {
      ctx.logger.warn({ err: failure, subject: msg.subject }, 'chat request: answer not sent');
      return 500;
    }
  }
}
