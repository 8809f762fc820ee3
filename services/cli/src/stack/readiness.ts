import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves once GET `url` answers 200; rejects with the last status or error when it has
 * not within `timeoutMs`, or when `signal` aborts.
 */
export async function waitForHttpOk(
  url: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    try {
      const response = await fetch(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]),
      });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      signal.throwIfAborted();
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200, undefined, { signal });
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (${last})`);
}
