import type { MsgHdrs } from '@nats-io/nats-core';
import {
  isTenantInbox,
  type RequestSubjectKind,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { extractTraceContext, type ServiceMsg } from '@switchyard/messaging';
import { TraceAttributes } from '@switchyard/telemetry';
import type { Caller } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { badRequest, tooBusy } from './gateway-error';
import type { HeaderBag } from './job-headers';
import { bodyTooLarge, parseJsonBody } from './json-body';
import { failureAnswer } from './openai-error';
import { endRequestSpan, inRequestSpan } from './request-span';

/** What the NATS endpoints need besides the gateway's context. */
export interface NatsRequestOptions {
  subjects: SwitchyardSubjects;
  /** The largest request body, in bytes (the HTTP routes' limit). */
  bodyLimit: number;
}

/** How one request ended, for its endpoint's stats. */
export type NatsRequestOutcome =
  | { answered: true; status: number }
  | { answered: false; reason: 'bad_subject' | 'reply_not_allowed' };

/** A request the shared path accepted, as an endpoint answers it. */
export interface NatsJobRequest {
  /** Where the answer is sent (`respond`, once or once per message of a stream). */
  msg: ServiceMsg;
  /** The JSON body, its `model` the subject's. */
  body: unknown;
  /** The subject's tenant; no virtual key. */
  caller: Caller;
  /** The NATS headers as the HTTP header bag the gateway reads. */
  headers: HeaderBag;
  /** Aborts when the gateway stops: the job is then cancelled. */
  signal: AbortSignal;
}

/** One OpenAI API the gateway takes over plain NATS: an endpoint of the `switchyard` service. */
export interface NatsJobEndpoint {
  /** The endpoint's name, which is also its subjects' kind: `<root>.<kind>.<tenant>.<model>`. */
  readonly kind: RequestSubjectKind;
  /**
   * Reads the request's body, submits its job and sends the answer. Throws what should be
   * answered as an error (before any message of the answer was sent, or to end a stream).
   */
  answer(ctx: GatewayContext, request: NatsJobRequest): Promise<void>;
}

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

/**
 * Answers one plain NATS request on `<root>.<kind>.<tenant>.<model token>` whose body is the
 * OpenAI request of `endpoint` (chat completions, embeddings) as the HTTP route answers it: the
 * same body limit, JSON reader, request decoder, unknown-model 404, job headers
 * (`x-switchyard-deadline-ms`, tags, cache) and in-flight limit, the job published through the
 * tenant's client. The answer goes to the request's reply subject (what the endpoint sends);
 * an error as OpenAI's error JSON with the `Nats-Service-Error-Code` (the HTTP status) and
 * `Nats-Service-Error` headers. The tenant is the subject's (NATS permissions guard it); there
 * is no API key, so no virtual key's models, rpm or budget apply, only the tenant's budget. A
 * reply subject that is not an inbox of that tenant (`_INBOX.<tenant>.…`) is never answered,
 * nor is a subject that names no tenant and model. A `traceparent` header continues the
 * caller's trace (span `nats <kind> <model>`). Rejects only when an answer cannot be sent at all.
 */
export async function answerNatsRequest(
  ctx: GatewayContext,
  options: NatsRequestOptions,
  endpoint: NatsJobEndpoint,
  msg: ServiceMsg,
): Promise<NatsRequestOutcome> {
  const { kind } = endpoint;
  const parsed = options.subjects.parse(msg.subject);
  const reply = msg.reply;
  if (!parsed.ok || parsed.kind !== kind) {
    const reason = parsed.ok ? `not a ${kind} subject` : parsed.reason;
    ctx.logger.warn({ subject: msg.subject, reply }, `${kind} request not answered: ${reason}`);
    return { answered: false, reason: 'bad_subject' };
  }
  if (!reply || !isTenantInbox(parsed.tenant, reply)) {
    ctx.logger.warn(
      { subject: msg.subject, reply },
      `${kind} request not answered: its reply subject is not an inbox of the tenant the subject names`,
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
      `nats ${kind} ${model}`,
      extractTraceContext(msg.headers),
      attributes,
      async (span) => {
        let status: number;
        try {
          if (msg.data.length > options.bodyLimit) {
            throw bodyTooLarge(msg.data.length, options.bodyLimit);
          }
          const body = withSubjectModel(parseJsonBody(msg.string()), model);
          await endpoint.answer(ctx, {
            msg,
            body,
            caller: { tenant },
            headers: headerBag(msg.headers),
            signal: request.signal,
          });
          status = 200;
        } catch (error) {
          status = respondWithErrorOrLog(ctx, msg, error);
        }
        endRequestSpan(span, status);
        return { answered: true, status };
      },
    );
  } finally {
    request.done();
  }
}

/** Sends the error answer; when even that fails, logs it and counts the request a 500. */
function respondWithErrorOrLog(ctx: GatewayContext, msg: ServiceMsg, error: unknown): number {
  try {
    return respondWithError(msg, error);
  } catch (failure) {
    ctx.logger.warn({ err: failure, subject: msg.subject }, 'NATS request: answer not sent');
    return 500;
  }
}
