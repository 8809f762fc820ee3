import type { Exchange } from './exchange';
import { numberParam, stringParam, type FaultSpec } from './faults';
import { send, sleep, untilGone, type StreamInterrupt } from './http-io';
import type { ErrorCase, StreamFrame } from './providers/provider';

/** The context window a `context_length` fault reports when none is configured. */
export const defaultContextWindows: Readonly<Record<string, number>> = {
  openai: 128_000,
  azure: 128_000,
  anthropic: 200_000,
  gemini: 1_048_576,
  cohere: 256_000,
  bedrock: 200_000,
};

/** The page a proxy in front of the provider shows for `html_error`. */
export function htmlErrorPage(status: number): string {
  const title = status === 502 ? '502 Bad Gateway' : `${status} Error`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}

/** A frame whose JSON payload is cut in half; the SSE framing around it stays. */
export function corruptFrame(text: string): string {
  const terminator = /(\r\n\r\n|\n\n)$/.exec(text)?.[0] ?? '';
  const payload = text.slice(0, text.length - terminator.length);
  const start = payload.indexOf('{');
  const cut =
    start === -1
      ? Math.floor(payload.length / 2)
      : start + Math.max(Math.floor((payload.length - start) / 2), 1);
  return payload.slice(0, cut) + terminator;
}

function afterParam(fault: FaultSpec, frames: readonly StreamFrame[], fallback: number): number {
  const after = numberParam(fault, 'after', fallback);
  return Math.min(Math.floor(after), Math.max(frames.length - 1, 0));
}

/** Mid-stream error kinds and their provider errors. */
const streamErrors: Readonly<Record<string, ErrorCase>> = {
  server_error: { kind: 'server_error' },
  unavailable: { kind: 'unavailable' },
  overloaded: { kind: 'overloaded' },
};

/**
 * Produces the wire effect of a fault (see the README's table). A `timeout` that ends delivers
 * the answer in full and counts its tokens; the others count none (a `content_policy` 200 too:
 * it is a block or a refusal, not the answer).
 */
export async function applyFault(exchange: Exchange, fault: FaultSpec): Promise<void> {
  const { sim, request, res } = exchange;
  switch (fault.kind) {
    case 'rate_limit': {
      const retryAfterS = Math.max(Math.ceil(numberParam(fault, 'retry_after', 1)), 0);
      const scope = stringParam(fault, 'scope') === 'tokens' ? 'tokens' : 'requests';
      const limits = exchange.state
        .limiter(exchange.target.deployment, exchange.settings, Date.now())
        .snapshot(Date.now());
      const headers = sim.headers(
        exchange.requestId,
        {
          ...limits,
          ...(scope === 'requests'
            ? { remainingRequests: 0, resetRequestsMs: retryAfterS * 1000 }
            : { remainingTokens: 0, resetTokensMs: retryAfterS * 1000 }),
        },
        Date.now(),
      );
      exchange.sendWire(
        sim.error(
          {
            kind: 'rate_limit',
            retryAfterS,
            scope,
            limit: scope === 'requests' ? limits.limitRequests : limits.limitTokens,
            requested: numberParam(
              fault,
              'requested',
              scope === 'requests' ? 1 : exchange.measured.promptTokens + exchange.completionTokens,
            ),
            model: request.model,
          },
          exchange.requestId,
          exchange.route,
        ),
        { ...headers, ...sim.rateLimitHeaders(retryAfterS) },
      );
      return;
    }
    case 'server_error':
    case 'unavailable':
    case 'overloaded': {
      const error = streamErrors[fault.kind] ?? { kind: 'server_error' };
      if (request.stream && fault.params['after'] !== undefined) {
        const frames = exchange.frames();
        await exchange.stream(frames, {
          after: afterParam(fault, frames, 1),
          action: 'error',
          frame: sim.streamError(error, exchange.requestId),
        });
        return;
      }
      exchange.sendError(error);
      return;
    }
    case 'timeout': {
      const ms = numberParam(fault, 'ms');
      if (request.stream && fault.params['after'] !== undefined) {
        const frames = exchange.frames();
        const interrupt: StreamInterrupt = {
          after: afterParam(fault, frames, 1),
          action: 'hold',
          ...(ms !== undefined ? { ms } : {}),
        };
        await exchange.stream(frames, interrupt);
        return;
      }
      if (ms === undefined) {
        await untilGone(res);
        exchange.account('aborted');
        return;
      }
      if (!(await sleep(res, ms))) {
        exchange.account('aborted');
        return;
      }
      await exchange.serve();
      return;
    }
    case 'reset': {
      if (request.stream && fault.params['after'] !== undefined) {
        const frames = exchange.frames();
        await exchange.stream(frames, { after: afterParam(fault, frames, 1), action: 'destroy' });
        return;
      }
      exchange.req.socket.destroy();
      return;
    }
    case 'context_length': {
      const max =
        numberParam(fault, 'max') ??
        exchange.settings.contextWindow ??
        defaultContextWindows[sim.name] ??
        128_000;
      const tokens =
        numberParam(fault, 'tokens') ?? Math.max(exchange.measured.promptTokens, max + 1);
      exchange.sendError({ kind: 'context_length', tokens, max });
      return;
    }
    case 'content_policy': {
      const blocked = sim.blocked(exchange.context(), stringParam(fault, 'mode'));
      if (blocked === undefined) {
        exchange.sendError({ kind: 'content_policy' });
        return;
      }
      if (request.stream) {
        await exchange.stream(blocked.frames, undefined, false);
        return;
      }
      exchange.sendWire({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: blocked.body,
      });
      return;
    }
    case 'auth':
      exchange.sendError({ kind: 'invalid_key', key: exchange.apiKey });
      return;
    case 'not_found':
      exchange.sendError({ kind: 'not_found', model: request.model });
      return;
    case 'malformed_json': {
      if (request.stream) {
        const frames = exchange.frames();
        const index = afterParam(fault, frames, 1);
        const corrupted = frames.map((frame, i) =>
          i !== index
            ? frame
            : (sim.corruptFrame?.(frame) ?? { ...frame, text: corruptFrame(frame.text) }),
        );
        await exchange.stream(corrupted, undefined, false);
        return;
      }
      const body = sim.body(exchange.context());
      exchange.sendWire({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: body.slice(0, Math.floor(body.length / 2)),
      });
      return;
    }
    case 'html_error': {
      const status = numberParam(fault, 'status', 502);
      send(
        res,
        { status, headers: { 'content-type': 'text/html' }, body: htmlErrorPage(status) },
        { server: 'cloudflare' },
      );
      return;
    }
    case 'empty_body':
      exchange.sendWire({
        status: 200,
        headers: {
          'content-type': request.stream
            ? sim.streamContentType(exchange.route)
            : 'application/json',
        },
        body: '',
      });
      return;
    case 'cut_stream': {
      if (request.stream) {
        const frames = exchange.frames();
        await exchange.stream(frames, {
          after: afterParam(fault, frames, Math.floor(frames.length / 2)),
          action: 'end',
        });
        return;
      }
      const body = Buffer.from(sim.body(exchange.context()), 'utf8');
      res.writeHead(200, {
        ...exchange.headers,
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
  }
}
