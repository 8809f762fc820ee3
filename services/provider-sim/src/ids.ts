const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const hex = '0123456789abcdef';

let sequence = 0;
const salt = (Date.now() ^ (process.pid << 16)) >>> 0;

function scramble(value: number): number {
  let x = (value ^ salt) >>> 0 || 1;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * A unique id of `length` characters from `alphabet` (`base62` by default) after `prefix`:
 * unique within the process, and differing between processes.
 */
export function uniqueId(
  prefix: string,
  length: number,
  alphabet: 'base62' | 'hex' = 'base62',
): string {
  const chars = alphabet === 'hex' ? hex : base62;
  sequence++;
  const tail = Math.min(6, length);
  let state = scramble(sequence);
  let out = '';
  for (let i = 0; i < length - tail; i++) {
    state = scramble(state + i);
    out += chars[state % chars.length];
  }
  let seq = sequence;
  let counter = '';
  for (let i = 0; i < tail; i++) {
    counter = (chars[seq % chars.length] ?? '0') + counter;
    seq = Math.floor(seq / chars.length);
  }
  return prefix + out + counter;
}
