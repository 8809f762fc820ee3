import type { Redis } from 'ioredis';
import { KeyInputError } from './key-input.error';
import { keyLayout, type KeyLayout } from './key-layout';
import {
  generateKeyId,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  secretHint,
} from './key-secret';
import {
  createKeyScript,
  revokeKeyScript,
  takeRequestScript,
  verifyKeyScript,
} from './keys.scripts';
import { decodeStoredKey, encodeStoredKey } from './stored-key.schema';
import { validateKeyInput } from './validate-key-input';
import type {
  CreateKeyInput,
  ListKeysOptions,
  TakeRequestResult,
  VirtualKey,
} from './virtual-key.types';

const maxCreateAttempts = 3;

/**
 * Virtual keys in Redis under `<keyPrefix>keys:`. Secrets are indexed by their sha256 and never
 * stored; every write that touches more than one index is one Lua script, so concurrent creates
 * cannot both take an alias and a revoke is seen by every replica at once.
 */
export class VirtualKeyStore {
  private readonly layout: KeyLayout;

  /** @param keyPrefix `config.switchyard.redis.keyPrefix`, e.g. `sy:`. */
  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.layout = keyLayout(keyPrefix);
  }

  /**
   * Creates a key; the secret (`sk-sy-` + 43 base64url chars) is returned once and never again.
   * Throws {@link KeyInputError} for invalid input or an alias a live key holds (the alias of a
   * revoked key may be reused).
   */
  async create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }> {
    const valid = validateKeyInput(input);
    for (let attempt = 0; attempt < maxCreateAttempts; attempt++) {
      const secret = generateSecret();
      const key: VirtualKey = {
        id: generateKeyId(),
        ...(valid.alias === undefined ? {} : { alias: valid.alias }),
        tenant: valid.tenant,
        models: valid.models,
        ...(valid.rpm === undefined ? {} : { rpm: valid.rpm }),
        ...(valid.maxBudget === undefined ? {} : { maxBudget: valid.maxBudget }),
        ...(valid.budgetDurationMs === undefined
          ? {}
          : { budgetDurationMs: valid.budgetDurationMs }),
        createdAt: Date.now(),
        hint: secretHint(secret),
      };
      const { records, secrets, aliases, revoked } = this.layout;
      const reply = await createKeyScript.run(
        this.redis,
        [records, secrets, aliases, revoked],
        [key.id, hashSecret(secret), key.alias ?? '', encodeStoredKey(key)],
      );
      if (reply === 'ok') return { key, secret };
      if (reply === 'alias_taken') {
        throw new KeyInputError(`alias ${JSON.stringify(key.alias)} is taken by a live key`);
      }
    }
    throw new Error(`could not find an unused key id in ${maxCreateAttempts} attempts`);
  }

  /** The live (not revoked) key whose secret this is, or undefined. One Redis round trip. */
  async verify(secret: string): Promise<VirtualKey | undefined> {
    if (!isWellFormedSecret(secret)) return undefined;
    const { secrets, records, revoked } = this.layout;
    const json = await verifyKeyScript.run(
      this.redis,
      [secrets, records, revoked],
      [hashSecret(secret)],
    );
    return decodeStoredKey(json as string | null);
  }

  /** The key with this id, revoked or not (with `revokedAt`), or undefined. */
  async get(id: string): Promise<VirtualKey | undefined> {
    const [json, revokedAt] = await this.redis
      .multi()
      .hget(this.layout.records, id)
      .hget(this.layout.revoked, id)
      .exec()
      .then((replies) =>
        (replies ?? []).map(([error, value]) => {
          if (error) throw error;
          return value as string | null;
        }),
      );
    return decodeStoredKey(json, revokedAt);
  }

  /** The keys, oldest first: live ones, or all with `includeRevoked`; only `tenant`'s if given. */
  async list(options: ListKeysOptions = {}): Promise<VirtualKey[]> {
    const [[recordsError, records], [revokedError, revoked]] = (await this.redis
      .multi()
      .hgetall(this.layout.records)
      .hgetall(this.layout.revoked)
      .exec()) as [[Error | null, Record<string, string>], [Error | null, Record<string, string>]];
    if (recordsError) throw recordsError;
    if (revokedError) throw revokedError;
    return Object.entries(records)
      .map(([id, json]) => decodeStoredKey(json, revoked[id]))
      .filter((key): key is VirtualKey => key !== undefined)
      .filter((key) => options.includeRevoked === true || key.revokedAt === undefined)
      .filter((key) => options.tenant === undefined || key.tenant === options.tenant)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /** Revokes by id or alias; returns the key, or undefined when there is none. Idempotent. */
  async revoke(idOrAlias: string): Promise<VirtualKey | undefined> {
    const { records, aliases, revoked } = this.layout;
    const reply = await revokeKeyScript.run(
      this.redis,
      [records, aliases, revoked],
      [idOrAlias, Date.now()],
    );
    if (!Array.isArray(reply)) return undefined;
    const [json, revokedAt] = reply as [string, string];
    return decodeStoredKey(json, revokedAt);
  }

  /**
   * Takes one request from the key's rpm allowance (atomic Lua, fixed 60 s windows of the Redis
   * clock, or of `now` when given); returns { allowed: true } or { allowed: false, retryAfterMs }
   * (the time until the window ends). Keys without rpm are always allowed, with no Redis call.
   */
  async takeRequest(key: VirtualKey, now?: number): Promise<TakeRequestResult> {
    if (key.rpm === undefined) return { allowed: true };
    const retryAfterMs = Number(
      await takeRequestScript.run(this.redis, [this.layout.rpm(key.id)], [key.rpm, now ?? '']),
    );
    return retryAfterMs === 0 ? { allowed: true } : { allowed: false, retryAfterMs };
  }
}
