import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import type { RedisClient } from '@switchyard/limits';
import type { Logger } from '@switchyard/telemetry';
import { aliasEntry, recordEntry, secretEntry } from './key-entries';
import { KeyInputError } from './key-input.error';
import {
  generateKeyId,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  secretHint,
} from './key-secret';
import { openKeysBucket, type KeysBucketSettings } from './keys-bucket';
import { KeysView } from './keys-view';
import { rpmKey, takeRequestScript } from './keys.scripts';
import { decodeStoredKey, encodeStoredKey } from './stored-key.schema';
import { aliasProblem, validateKeyInput } from './validate-key-input';
import type {
  CreateKeyInput,
  ListKeysOptions,
  TakeRequestResult,
  VirtualKey,
} from './virtual-key.types';

const maxCreateAttempts = 3;
/** Compare-and-set rounds before a write gives up (each lost round means another writer won). */
const maxCasRounds = 20;

/**
 * Waits a little more after each lost compare-and-set round: a read served by a replica that
 * lags (KV direct gets may be) then gets time to catch up.
 */
function afterLostRound(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5 * round));
}

/** Where a store keeps what. */
export interface KeyStoreOptions {
  /** The JetStream KV bucket of the keys, created when missing. */
  bucket: KeysBucketSettings;
  /** The Redis of the per-key rpm counters and its key prefix; `takeRequest` needs it. */
  rateLimit?: { redis: RedisClient; keyPrefix: string };
  /** Where watch problems, and retries of opening the bucket, are logged. */
  logger?: Logger;
}

/** A store's options from the config: its bucket settings and, given `redis`, the rpm counters. */
export function keyStoreOptionsFrom(
  config: SwitchyardConfig,
  redis?: RedisClient,
  logger?: Logger,
): KeyStoreOptions {
  const { nats } = config.switchyard;
  return {
    bucket: { streamPrefix: nats.streamPrefix, replicas: nats.replicas, storage: nats.storage },
    ...(redis === undefined
      ? {}
      : { rateLimit: { redis, keyPrefix: config.switchyard.redis.keyPrefix } }),
    ...(logger === undefined ? {} : { logger }),
  };
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * Virtual keys in a JetStream KV bucket (`keysBucketName(streamPrefix)`): `key.<id>` holds a
 * key's record, `secret.<sha256 hex>` its id, `alias.<alias>` the id of the key holding the
 * alias. Secrets are indexed by their sha256 and never stored. Writes use KV `create` (fails when
 * the entry exists) and `update` at a revision (compare-and-set), so an alias is held by one
 * live key and a create never overwrites another key. Reads (`verify`, `get`, `list`) answer
 * from an in-memory view fed by a watch of the bucket: no I/O, and a revoke written by any
 * process is seen within the watch's latency. Only the rpm counters (`takeRequest`) are in
 * Redis. Open with {@link VirtualKeyStore.open}; `close` stops the watch.
 */
export class VirtualKeyStore {
  private constructor(
    private readonly kv: KV,
    private readonly view: KeysView,
    private readonly rateLimit: KeyStoreOptions['rateLimit'],
  ) {}

  /**
   * Opens the store: the bucket (created when missing), and the view of it, loaded with every
   * key before this resolves.
   */
  static async open(nc: NatsConnection, options: KeyStoreOptions): Promise<VirtualKeyStore> {
    const kv = await openKeysBucket(nc, options.bucket, options.logger);
    const view = new KeysView(kv, options.logger);
    await view.start();
    return new VirtualKeyStore(kv, view, options.rateLimit);
  }

  /** Stops watching the bucket. */
  close(): Promise<void> {
    return this.view.close();
  }

  /**
   * Creates a key; the secret (`sk-sy-` + 43 base64url chars) is returned once and never again.
   * Throws {@link KeyInputError} for invalid input or an alias a live key holds (the alias of a
   * revoked key may be reused). Resolves once this store's view holds the key.
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
      // The record first: an alias or a secret never points at a key that does not exist yet.
      if ((await this.createEntry(recordEntry(key.id), encodeStoredKey(key))) === undefined) {
        continue;
      }
      try {
        if (key.alias !== undefined) await this.claimAlias(key.alias, key.id);
        const revision = await this.createEntry(secretEntry(hashSecret(secret)), key.id);
        if (revision === undefined) throw new Error('a new secret collided with an existing one');
        await this.view.reached(revision);
        return { key, secret };
      } catch (error) {
        // A delete marker, not a purge: a purge rolls the subject up, and on nats-server 2.9 a
        // watch can miss rolled-up entries. If this fails too, the record stays without a
        // secret: it can never verify, and `revoke <id>` retires it.
        await this.kv.delete(recordEntry(key.id)).catch(() => undefined);
        throw error;
      }
    }
    throw new Error(`could not find an unused key id in ${maxCreateAttempts} attempts`);
  }

  /** The live (not revoked) key whose secret this is, or undefined. No I/O: a hash lookup. */
  verify(secret: string): Promise<VirtualKey | undefined> {
    if (!isWellFormedSecret(secret)) return Promise.resolve(undefined);
    const id = this.view.secrets.get(hashSecret(secret));
    const key = id === undefined ? undefined : this.view.records.get(id);
    return Promise.resolve(key?.revokedAt === undefined ? key : undefined);
  }

  /** The key with this id, revoked or not (with `revokedAt`), or undefined. No I/O. */
  get(id: string): Promise<VirtualKey | undefined> {
    return Promise.resolve(this.view.records.get(id));
  }

  /** The keys, oldest first: live ones, or all with `includeRevoked`; only `tenant`'s if given. */
  list(options: ListKeysOptions = {}): Promise<VirtualKey[]> {
    const keys = [...this.view.records.values()]
      .filter((key) => options.includeRevoked === true || key.revokedAt === undefined)
      .filter((key) => options.tenant === undefined || key.tenant === options.tenant)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    return Promise.resolve(keys);
  }

  /**
   * Revokes by id or alias; returns the key, or undefined when there is none. Idempotent
   * (revoking again returns the first `revokedAt`). Resolves once this store's view holds it.
   */
  async revoke(idOrAlias: string): Promise<VirtualKey | undefined> {
    const id = await this.resolveId(idOrAlias);
    if (id === undefined) return undefined;
    for (let round = 0; round < maxCasRounds; round++) {
      const entry = await this.kv.get(recordEntry(id));
      const key = entry?.operation === 'PUT' ? decodeStoredKey(entry.string()) : undefined;
      if (entry === null || key === undefined) return undefined;
      if (key.revokedAt !== undefined) return key;
      const revoked = { ...key, revokedAt: Date.now() };
      try {
        const revision = await this.kv.update(
          recordEntry(id),
          encodeStoredKey(revoked),
          entry.revision,
        );
        await this.view.reached(revision);
        return revoked;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        await afterLostRound(round);
      }
    }
    throw new Error(`revoking ${id} lost ${maxCasRounds} races with other writers`);
  }

  /**
   * Takes one request from the key's rpm allowance (atomic Lua in Redis, fixed 60 s windows of
   * the Redis clock, or of `now` when given); returns { allowed: true } or { allowed: false,
   * retryAfterMs } (the time until the window ends). Keys without rpm are always allowed, with
   * no Redis call. Throws when the store was opened without `rateLimit`.
   */
  async takeRequest(key: VirtualKey, now?: number): Promise<TakeRequestResult> {
    if (key.rpm === undefined) return { allowed: true };
    if (this.rateLimit === undefined) {
      throw new Error('this key store was opened without a Redis for rpm counters');
    }
    const { redis, keyPrefix } = this.rateLimit;
    const retryAfterMs = Number(
      await takeRequestScript.run(redis, [rpmKey(keyPrefix, key.id)], [key.rpm, now ?? '']),
    );
    return retryAfterMs === 0 ? { allowed: true } : { allowed: false, retryAfterMs };
  }

  /** Creates an entry; its revision, or undefined when the entry exists. */
  private async createEntry(name: string, value: string): Promise<number | undefined> {
    try {
      return await this.kv.create(name, value);
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }

  /**
   * Points `alias` at `id`, unless a live key holds it (a KeyInputError). An alias whose
   * holder is revoked or gone is taken over with a compare-and-set on its revision, so of
   * many creates racing for one alias exactly one wins.
   */
  private async claimAlias(alias: string, id: string): Promise<void> {
    const name = aliasEntry(alias);
    for (let round = 0; round < maxCasRounds; round++) {
      if ((await this.createEntry(name, id)) !== undefined) return;
      const entry = await this.kv.get(name);
      if (entry === null || entry.operation !== 'PUT') continue;
      const holder = await this.kv.get(recordEntry(entry.string()));
      const held = holder?.operation === 'PUT' ? decodeStoredKey(holder.string()) : undefined;
      if (held !== undefined && held.revokedAt === undefined) {
        throw new KeyInputError(`alias ${JSON.stringify(alias)} is taken by a live key`);
      }
      try {
        await this.kv.update(name, id, entry.revision);
        return;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        await afterLostRound(round);
      }
    }
    throw new Error(`claiming alias ${JSON.stringify(alias)} lost ${maxCasRounds} races`);
  }

  /** The id a revoke names: an existing record's id, else the holder of that alias. */
  private async resolveId(idOrAlias: string): Promise<string | undefined> {
    if (keyIdPattern.test(idOrAlias)) {
      const record = await this.kv.get(recordEntry(idOrAlias));
      return record?.operation === 'PUT' ? idOrAlias : undefined;
    }
    if (aliasProblem(idOrAlias) !== undefined) return undefined;
    const entry = await this.kv.get(aliasEntry(idOrAlias));
    return entry?.operation === 'PUT' ? entry.string() : undefined;
  }
}

/** What a key id looks like (aliases may not start with `key_`). */
const keyIdPattern = /^key_[A-Za-z0-9]+$/;
