import { z } from 'zod';

/**
 * The version of the wire contract this package reads and writes. It is bumped when a shape
 * changes incompatibly; decoders reject a version they do not know (see README.md).
 */
export const CONTRACT_VERSION = 1;

/** The `v` field of versioned messages; any other value fails with a message naming both. */
export const contractVersionSchema = z.literal(CONTRACT_VERSION, {
  error: (issue) =>
    issue.input === undefined
      ? `contract version is missing (expected ${CONTRACT_VERSION})`
      : unsupportedVersionMessage(issue.input),
});

/** The message for a `v` this build does not understand. */
export function unsupportedVersionMessage(found: unknown): string {
  const shown = (JSON.stringify(found) ?? String(found)).slice(0, 40);
  return `unsupported contract version ${shown}: this build understands version ${CONTRACT_VERSION}`;
}
