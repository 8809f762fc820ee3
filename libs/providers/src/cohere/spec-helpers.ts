import type { Deployment } from '@switchyard/config';
import type { AdapterContext, SseEvent } from '../adapter';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { testContext } from '../spec-helpers/deployment';

/** An adapter context for a `cohere/command-a-03-2025` deployment, fields overridable. */
export function cohereContext(
  overrides: Partial<Deployment> = {},
  dropParams = false,
): AdapterContext {
  return testContext(
    { provider: 'cohere', providerModel: 'command-a-03-2025', apiKey: 'co-test', ...overrides },
    dropParams,
  );
}

/** A fixture of this folder, parsed. */
export function cohereFixture(name: string): unknown {
  return readJsonFixture(import.meta.dirname, name);
}

/** A stream fixture (`[{event, data}]`) as the SSE events the parser hands the decoder. */
export function cohereStreamEvents(name: string): SseEvent[] {
  const events = cohereFixture(name) as { event: string; data: unknown }[];
  return events.map(({ event, data }) => ({ event, data: JSON.stringify(data) }));
}
