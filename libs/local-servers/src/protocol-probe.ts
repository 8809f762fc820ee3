import { Socket } from 'node:net';

/** What a server sends back first: the first line, or why there was none. */
export type ProbeResult = { ok: true; line: string } | { ok: false; reason: string };

/**
 * Opens a TCP connection, optionally writes `greeting`, and resolves with the first line the
 * server sends (without the line ending). Never rejects: a refused connection, a timeout or
 * a close before a full line all resolve `{ ok: false }`.
 */
export function readFirstLine(
  host: string,
  port: number,
  timeoutMs: number,
  greeting?: string,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = '';
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timed out' }), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      finish({ ok: false, reason: 'connection closed before a reply' });
    });
    socket.once('error', (error) => finish({ ok: false, reason: error.message }));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\n');
      if (end >= 0) finish({ ok: true, line: received.slice(0, end).replace(/\r$/, '') });
    });
    socket.connect({ host, port }, () => {
      if (greeting !== undefined) socket.write(greeting);
    });
  });
}

/** True if the first line is a NATS server's `INFO {...}` greeting. */
export function isNatsGreeting(line: string): boolean {
  return /^INFO\s+\{/.test(line);
}

/** True if the line is Redis's `+PONG` reply to `PING`. */
export function isRedisPong(line: string): boolean {
  return line === '+PONG';
}

/**
 * True if the line is any Redis reply to `PING`: `+PONG`, or an error reply such as
 * `-NOAUTH ...` (password required) or `-LOADING ...` (still loading its data).
 */
export function isRedisReplyToPing(line: string): boolean {
  return isRedisPong(line) || /^-[A-Z]+ /.test(line);
}

/** Resolves true once a NATS server at host:port sends its INFO greeting within `timeoutMs`. */
export async function probeNats(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const result = await readFirstLine(host, port, timeoutMs);
  return result.ok && isNatsGreeting(result.line);
}

/**
 * Resolves true if a Redis server at host:port answers `PING` within `timeoutMs`; with
 * `requirePong` only a `+PONG` counts (ready to serve), otherwise any Redis reply does.
 */
export async function probeRedis(
  host: string,
  port: number,
  timeoutMs: number,
  requirePong: boolean,
): Promise<boolean> {
  const result = await readFirstLine(host, port, timeoutMs, 'PING\r\n');
  if (!result.ok) return false;
  return requirePong ? isRedisPong(result.line) : isRedisReplyToPing(result.line);
}
