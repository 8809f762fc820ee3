import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-sizes';

describe('parseByteSize', () => {
  it.each([
    ['1024', 1024],
    ['64B', 64],
    ['512KiB', 512 * 1024],
    ['512 MiB', 512 * 1024 ** 2],
    ['4GiB', 4 * 1024 ** 3],
    [' 2tib ', 2 * 1024 ** 4],
  ])('reads %j as %i bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', '0', '0GiB', '1.5GiB', 'GiB', '-1', '4GB', '4 G', '1e3'])('rejects %j', (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });
});
