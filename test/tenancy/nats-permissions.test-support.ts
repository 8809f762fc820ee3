import type { NatsConnection } from '@nats-io/nats-core';

/** How long a denial may take to come back from the server. */
const answerMs = 3_000;

/**
 * Subscribes to `subject` and resolves 'denied' when the server refuses it (a permissions
 * violation ends the subscription with that error), or 'allowed' when nothing is refused
 * within 3 s (the subscription is then removed).
 */
export async function trySubscribe(
  nc: NatsConnection,
  subject: string,
): Promise<'denied' | 'allowed'> {
  const sub = nc.subscribe(subject);
  let timer: NodeJS.Timeout | undefined;
  const allowed = new Promise<'allowed'>((resolve) => {
    timer = setTimeout(() => resolve('allowed'), answerMs);
  });
  const denied = (async () => {
    try {
      for await (const msg of sub) void msg;
      return 'ended' as const;
    } catch (error) {
      return /Permissions Violation for Subscription/.test(String(error)) ? 'denied' : 'ended';
    }
  })();
  const outcome = await Promise.race([allowed, denied]);
  clearTimeout(timer);
  sub.unsubscribe();
  if (outcome === 'ended')
    throw new Error(`the subscription to ${subject} ended without a permissions error`);
  return outcome;
}

/** The server errors a connection has reported so far (its status stream, read from now on). */
export function watchServerErrors(nc: NatsConnection): string[] {
  const errors: string[] = [];
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'error') errors.push(String(status.error));
    }
  })();
  return errors;
}

/**
 * Publishes an empty message to `subject` (core NATS, no reply) and resolves 'denied' when the
 * server reports a publish permissions violation for that subject (in `errors`, from
 * {@link watchServerErrors} of `nc`) within 3 s, else 'allowed'.
 */
export async function tryPublish(
  nc: NatsConnection,
  errors: readonly string[],
  subject: string,
): Promise<'denied' | 'allowed'> {
  const isDenial = (error: string) =>
    error.includes('Permissions Violation') && error.includes(`Publish to "${subject}"`);
  const before = errors.filter(isDenial).length;
  nc.publish(subject);
  await nc.flush();
  const end = Date.now() + answerMs;
  while (Date.now() < end) {
    if (errors.filter(isDenial).length > before) return 'denied';
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return 'allowed';
}
