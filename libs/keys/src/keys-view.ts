import type { KV, KvEntry, KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/nats-core';
import type { Logger } from '@switchyard/telemetry';
import { parseEntryName } from './key-entries';
import { decodeStoredKey } from './stored-key.schema';
import type { VirtualKey } from './virtual-key.types';

/** How long to wait before watching again after a watch ended by itself. */
const rewatchDelayMs = 1_000;

/**
 * An in-memory copy of the keys bucket, fed by a KV watch: first the current value of every
 * entry, then each change as it is written, in order. Readers look keys up with no I/O; a
 * change written by any process is here within the watch's latency. A watch that ends by
 * itself (its consumer could not be recreated) is started again from the next revision.
 */
export class KeysView {
  /** Key id → record (revoked ones too). */
  readonly records = new Map<string, VirtualKey>();
  /** sha256(secret) hex → key id. */
  readonly secrets = new Map<string, string>();
  /** Alias → the id of the key holding it. */
  readonly aliases = new Map<string, string>();
  private revision = 0;
  private waiters: { revision: number; resolve: () => void }[] = [];
  private watch: QueuedIterator<KvWatchEntry> | undefined;
  private closed = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly kv: KV,
    private readonly logger?: Logger,
  ) {}

  /**
   * Starts watching and resolves once the view holds every entry written before the call.
   * Rejects when the bucket cannot be read within `timeoutMs`.
   */
  async start(timeoutMs = 10_000): Promise<void> {
    const lastRevision = (await this.kv.status()).streamInfo.state.last_seq;
    this.watch = await this.kv.watch();
    this.running = this.follow(this.watch);
    if (!(await this.reached(lastRevision, timeoutMs))) {
      await this.close();
      throw new Error(`the keys bucket could not be read within ${timeoutMs} ms`);
    }
  }

  /**
   * Resolves true once the view has applied every change up to `revision` (a write's
   * revision, so a process sees its own writes), false after `timeoutMs` without it.
   */
  reached(revision: number, timeoutMs = 5_000): Promise<boolean> {
    if (this.revision >= revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Stops watching. */
  async close(): Promise<void> {
    this.closed = true;
    this.watch?.stop();
    await this.running;
  }

  private async follow(watch: QueuedIterator<KvWatchEntry>): Promise<void> {
    for (;;) {
      for await (const entry of watch) this.apply(entry);
      if (this.closed) return;
      this.logger?.warn(
        { revision: this.revision },
        'the keys bucket watch ended; watching again from the next revision',
      );
      await new Promise((resolve) => setTimeout(resolve, rewatchDelayMs));
      if (this.closed) return;
      try {
        watch = await this.kv.watch({ resumeFromRevision: this.revision + 1 });
        this.watch = watch;
      } catch (error) {
        this.logger?.warn({ err: error }, 'watching the keys bucket failed; trying again');
      }
    }
  }

  private apply(entry: KvEntry): void {
    const name = parseEntryName(entry.key);
    const live = entry.operation === 'PUT';
    if (name?.kind === 'record') {
      const key = live ? decodeStoredKey(entry.string()) : undefined;
      if (key !== undefined && key.id === name.id) this.records.set(name.id, key);
      else this.records.delete(name.id);
    } else if (name?.kind === 'secret') {
      if (live) this.secrets.set(name.hash, entry.string());
      else this.secrets.delete(name.hash);
    } else if (name?.kind === 'alias') {
      if (live) this.aliases.set(name.alias, entry.string());
      else this.aliases.delete(name.alias);
    }
    this.revision = Math.max(this.revision, entry.revision);
    const due = this.waiters.filter((waiter) => waiter.revision <= this.revision);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.revision > this.revision);
    for (const waiter of due) waiter.resolve();
  }
}
