import { describe, expect, it } from 'vitest';
import { metadataOption } from './batch-metadata';

describe('metadataOption', () => {
  it('is null without entries, and splits each at its first =', () => {
    expect(metadataOption([])).toBeNull();
    expect(metadataOption(['run=nightly', 'query=a=b', 'empty='])).toEqual({
      run: 'nightly',
      query: 'a=b',
      empty: '',
    });
  });

  it('keeps the last value of a key given twice', () => {
    expect(metadataOption(['k=1', 'k=2'])).toEqual({ k: '2' });
  });

  it("refuses entries without a key or =, and past OpenAI's limits", () => {
    expect(() => metadataOption(['nokey'])).toThrow('--metadata must be key=value, got "nokey"');
    expect(() => metadataOption(['=v'])).toThrow('--metadata must be key=value');
    expect(() => metadataOption([`${'k'.repeat(65)}=v`])).toThrow(/longer than 64 characters/);
    expect(metadataOption([`${'k'.repeat(64)}=${'v'.repeat(512)}`])).not.toBeNull();
    expect(() => metadataOption([`k=${'v'.repeat(513)}`])).toThrow(/longer than 512/);
    const seventeen = Array.from({ length: 17 }, (_, i) => `k${i}=v`);
    expect(() => metadataOption(seventeen)).toThrow('--metadata takes at most 16 keys');
    expect(Object.keys(metadataOption(seventeen.slice(1)) ?? {})).toHaveLength(16);
  });
});
