/**
 * Which kinds of server the harness may use, from SWITCHYARD_TEST_SERVERS:
 * `auto` (unset: binary on PATH, then NATS_URL / REDIS_URL, then testcontainers), or only
 * one of `binary`, `env`, `container`.
 */
export type ServerSelection = 'auto' | 'binary' | 'env' | 'container';

const selections: readonly ServerSelection[] = ['auto', 'binary', 'env', 'container'];

/** Reads SWITCHYARD_TEST_SERVERS; throws an Error listing the allowed values if it is unknown. */
export function readServerSelection(
  value: string | undefined = process.env['SWITCHYARD_TEST_SERVERS'],
): ServerSelection {
  const wanted = (value ?? '').trim().toLowerCase() || 'auto';
  const found = selections.find((selection) => selection === wanted);
  if (found === undefined) {
    throw new Error(`SWITCHYARD_TEST_SERVERS="${value}" is not one of: ${selections.join(', ')}`);
  }
  return found;
}
