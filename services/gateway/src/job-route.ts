import { TraceAttributes } from '@switchyard/telemetry';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './authenticate';
import type { GatewayContext } from './gateway-context';
import { GatewayError, tooBusy } from './gateway-error';
import type { InFlightRequest } from './in-flight-requests';
import { errorAnswer, failureAnswer } from './openai-error';
import { endRequestSpan, httpTraceContext, inRequestSpan } from './request-span';

/** One authenticated request of a job route, as the route's own part sees it. */
export interface JobRouteCall {
  readonly caller: Caller;
  /** Aborts when the client goes away or the gateway stops: the job is then cancelled. */
  readonly signal: AbortSignal;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** Names the request's logical model (span and metrics) once its body is read. */
  named(model: string, stream: boolean): void;
}

/**
 * Answers one request of a job route (`POST /v1/chat/completions`, `POST /v1/embeddings`): the
 * in-flight limit (503), the server span (continuing a `traceparent` header), the caller's key
 * (401), then `serve`, which reads the body, submits the job and sends the answer, returning
 * its status. Whatever `serve` throws is answered as OpenAI's error JSON, unless the client
 * already went away (499) or the answer had started. Every request is counted in the
 * gateway's metrics.
 */
export async function handleJobRoute(
  ctx: GatewayContext,
  req: FastifyRequest,
  reply: FastifyReply,
  route: string,
  serve: (call: JobRouteCall) => Promise<number>,
): Promise<void> {
  const startedAt = performance.now();
  if (ctx.inFlight.full) {
    const answer = errorAnswer(tooBusy);
    await reply.code(answer.status).headers(answer.headers).send(answer.body);
    return;
  }
  const request = ctx.inFlight.begin(reply.raw);
  ctx.instruments.started();
  let model = 'unknown';
  let stream = false;
  let status = 500;
  const attributes = { 'http.request.method': 'POST', 'http.route': route };
  await inRequestSpan(`POST ${route}`, httpTraceContext(req.headers), attributes, async (span) => {
    try {
      const caller = await ctx.auth.authenticate(req.headers);
      status = await serve({
        caller,
        signal: request.signal,
        startedAt,
        named(name, streamed) {
          model = name;
          stream = streamed;
          span.setAttributes({
            [TraceAttributes.tenant]: caller.tenant,
            [TraceAttributes.logicalModel]: name,
          });
        },
      });
    } catch (error) {
      status = await sendFailure(ctx, reply, request, error, route);
    } finally {
      endRequestSpan(span, status);
      request.done();
      const seconds = (performance.now() - startedAt) / 1000;
      ctx.instruments.finished({ model, status, stream }, seconds);
    }
  });
}

async function sendFailure(
  ctx: GatewayContext,
  reply: FastifyReply,
  request: InFlightRequest,
  error: unknown,
  route: string,
): Promise<number> {
  if (request.clientGone) {
    reply.raw.destroy();
    return 499;
  }
  const answer = failureAnswer(error);
  if (answer.status >= 500 && !(error instanceof GatewayError)) {
    const { message, code } = answer.body.error;
    const type = answer.body.error.switchyard?.type;
    if (type === undefined) ctx.logger.error({ err: error }, `POST ${route} failed`);
    else ctx.logger.warn({ type, code, status: answer.status }, `POST ${route} failed: ${message}`);
  }
  if (reply.sent || reply.raw.headersSent) return answer.status;
  await reply.code(answer.status).headers(answer.headers).send(answer.body);
  return answer.status;
}
