import { UserError } from '@switchyard/entrypoint';

/** OpenAI's limits on a batch's metadata, as `POST /v1/batches` checks them. */
const maxKeys = 16;
const maxKeyLength = 64;
const maxValueLength = 512;

/**
 * The metadata of `--metadata k=v` options (null when none): each splits at its first `=`,
 * a key given twice keeps its last value. A UserError for an entry without `=` or a key, or
 * past OpenAI's limits (16 keys, keys of at most 64 characters, values of at most 512).
 */
export function metadataOption(entries: readonly string[]): Record<string, string> | null {
  if (entries.length === 0) return null;
  const metadata: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UserError(`--metadata must be key=value, got "${entry}"`);
    const key = entry.slice(0, at);
    const value = entry.slice(at + 1);
    if (key.length > maxKeyLength) {
      throw new UserError(`--metadata key "${key}" is longer than ${maxKeyLength} characters`);
    }
    if (value.length > maxValueLength) {
      throw new UserError(
        `--metadata value of "${key}" is longer than ${maxValueLength} characters`,
      );
    }
    metadata[key] = value;
  }
  if (Object.keys(metadata).length > maxKeys) {
    throw new UserError(`--metadata takes at most ${maxKeys} keys`);
  }
  return metadata;
}
