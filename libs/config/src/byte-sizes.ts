const unitBytes = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
} as const;

const byteSize = /^(\d+)\s*(b|kib|mib|gib|tib)?$/i;

/**
 * Parses a size in bytes: a whole number, optionally followed by `B`, `KiB`, `MiB`, `GiB` or
 * `TiB` (powers of 1024; `512MiB`, `4GiB`). Returns bytes, or undefined when the text is not a
 * size or is 0.
 */
export function parseByteSize(text: string): number | undefined {
  const match = byteSize.exec(text.trim());
  if (!match?.[1]) return undefined;
  const unit = (match[2] ?? '').toLowerCase() as keyof typeof unitBytes;
  const bytes = Number(match[1]) * unitBytes[unit];
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
