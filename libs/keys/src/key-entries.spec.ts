import { describe, expect, it } from 'vitest';
import { aliasEntry, parseEntryName, recordEntry, secretEntry } from './key-entries';

const validKvKey = /^[-/=.\w]+$/;

describe('key entries', () => {
  it('names records, secrets and aliases with valid KV keys', () => {
    expect(recordEntry('key_AbC123')).toBe('key.key_AbC123');
    expect(secretEntry('ab12')).toBe('secret.ab12');
    expect(aliasEntry('search')).toBe('alias.search');
    expect(aliasEntry('team.search:v2')).toBe('alias.team=2Esearch=3Av2');
    for (const alias of ['a', 'a.', 'x..y', 'q:1', 'A_b-C']) {
      expect(aliasEntry(alias)).toMatch(validKvKey);
      expect(aliasEntry(alias).split('.')).toHaveLength(2);
    }
  });

  it('parses every name it makes back', () => {
    expect(parseEntryName(recordEntry('key_x'))).toEqual({ kind: 'record', id: 'key_x' });
    expect(parseEntryName(secretEntry('ff00'))).toEqual({ kind: 'secret', hash: 'ff00' });
    for (const alias of ['search', 'team.search:v2', 'a..b', 'z.']) {
      expect(parseEntryName(aliasEntry(alias))).toEqual({ kind: 'alias', alias });
    }
    expect(parseEntryName('other.thing')).toBeUndefined();
    expect(parseEntryName('key.')).toBeUndefined();
    expect(parseEntryName('nodot')).toBeUndefined();
  });
});
