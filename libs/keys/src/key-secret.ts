import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Every secret starts with this, so leaked keys are easy to recognise and scan for. */
export const secretPrefix = 'sk-sy-';

const secretBodyLength = 43;
const secretPattern = /^sk-sy-[A-Za-z0-9_-]{43}$/;
const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new secret: `sk-sy-` + 43 base64url characters (256 random bits). */
export function generateSecret(): string {
  const body = randomBytes(32).toString('base64url');
  return `${secretPrefix}${body.slice(0, secretBodyLength)}`;
}

/** A new key id: `key_` + 16 random base62 characters (about 95 bits). */
export function generateKeyId(): string {
  let body = '';
  for (let i = 0; i < 16; i++) body += base62[randomInt(base62.length)];
  return `key_${body}`;
}

/** Whether `value` has the shape of a secret this store issues (checked before any lookup). */
export function isWellFormedSecret(value: string): boolean {
  return secretPattern.test(value);
}

/** The sha256 hex digest under which a secret is indexed; the secret itself is never stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The first 8 and last 4 characters of a secret, enough to tell keys apart in a list. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}
