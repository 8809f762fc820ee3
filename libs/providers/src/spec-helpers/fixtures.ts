import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSON fixture file, parsed. */
export function readJsonFixture(directory: string, name: string): unknown {
  return JSON.parse(readFileSync(join(directory, 'fixtures', name), 'utf8')) as unknown;
}

/** A JSON fixture file as its raw text. */
export function readTextFixture(directory: string, name: string): string {
  return readFileSync(join(directory, 'fixtures', name), 'utf8');
}

/** The `data:` payloads of a stream fixture (`{"events": [...]}`). */
export function readStreamFixture(directory: string, name: string): string[] {
  const fixture = readJsonFixture(directory, name) as { events: string[] };
  return fixture.events;
}

/** A stream fixture written as an OpenAI-style SSE body (`data: …` blocks). */
export function sseBody(events: readonly string[]): string {
  return events.map((data) => `data: ${data}\n\n`).join('');
}
