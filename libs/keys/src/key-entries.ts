/*
 * The entries of the keys bucket. A KV key is dot-separated tokens of `[-/=_A-Za-z0-9]`, so
 * an alias (which may hold `.` and `:`) is escaped into one token.
 */

/** The entry holding a key's record (JSON): `key.<id>`. */
export function recordEntry(keyId: string): string {
  return `key.${keyId}`;
}

/** The entry mapping a secret's sha256 (hex) to its key id: `secret.<hex>`. */
export function secretEntry(secretHash: string): string {
  return `secret.${secretHash}`;
}

/** The entry mapping an alias to the id of the key that holds it: `alias.<escaped alias>`. */
export function aliasEntry(alias: string): string {
  return `alias.${escapeAlias(alias)}`;
}

/** What an entry of the bucket is, by its name; undefined for a name the store never writes. */
export type EntryName =
  | { kind: 'record'; id: string }
  | { kind: 'secret'; hash: string }
  | { kind: 'alias'; alias: string };

/** Parses an entry name of the bucket. */
export function parseEntryName(name: string): EntryName | undefined {
  const dot = name.indexOf('.');
  const kind = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (dot < 1 || rest === '') return undefined;
  if (kind === 'key') return { kind: 'record', id: rest };
  if (kind === 'secret') return { kind: 'secret', hash: rest };
  if (kind === 'alias') return { kind: 'alias', alias: unescapeAlias(rest) };
  return undefined;
}

/** `[A-Za-z0-9_-]` stay; any other character becomes `=` and its code as two hex digits. */
function escapeAlias(alias: string): string {
  return alias.replace(
    /[^A-Za-z0-9_-]/g,
    (char) => `=${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function unescapeAlias(token: string): string {
  return token.replace(/=([0-9A-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
