import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The script a Python program uses to ask Switchyard over plain NATS (standard library only). */
export const askScript = fileURLToPath(new URL('./ask.py', import.meta.url));

/** One message of an answer as ask.py prints it. */
export interface AskedMessage {
  headers: Record<string, string>;
  body: unknown;
}

/** What ask.py did: its exit status and the messages it printed. */
export interface AskOutcome {
  /** 0 answered, 1 an error answer, 2 no answer within the timeout, 3 no responders. */
  status: number;
  messages: AskedMessage[];
  /** The lines that were not messages (`{"timeout": …}`, `{"no_responders": …}`). */
  other: unknown[];
  elapsedMs: number;
}

/** Runs `python3 ask.py` against `server` for `subject` with `body` and the NATS `headers`. */
export function askWithPython(
  server: string,
  subject: string,
  body: string | object,
  options: { headers?: Record<string, string>; timeoutSeconds?: number } = {},
): Promise<AskOutcome> {
  const args = [askScript, '--server', server, '--timeout', String(options.timeoutSeconds ?? 20)];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    args.push('--header', `${name}: ${value}`);
  }
  args.push(subject, typeof body === 'string' ? body : JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile('python3', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      if (status < 0 || status > 3) {
        reject(new Error(`ask.py failed (${String(error?.code)}): ${stderr}`));
        return;
      }
      const lines = stdout
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({
        status,
        messages: lines.filter((line) => 'headers' in line) as unknown as AskedMessage[],
        other: lines.filter((line) => !('headers' in line)),
        elapsedMs: performance.now() - started,
      });
    });
  });
}
