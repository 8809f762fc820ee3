import type { ChatJobInput } from '@switchyard/contracts';

let counter = 0;

/** A valid job for specs; every call gets a fresh id unless one is given. */
export function makeJob(overrides: Partial<ChatJobInput> = {}): ChatJobInput {
  counter += 1;
  return {
    v: 1,
    id: `job-${Date.now().toString(36)}-${counter}`,
    tenant: 'default',
    model: 'fast-triage-model',
    request: { messages: [{ role: 'user', content: 'Is this email urgent?' }] },
    submitted_at: Date.now(),
    ...overrides,
  };
}

/** Resolves when `check` returns true, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
