import { Pool } from 'undici';

/** Settings shared by every connection pool of a registry. */
export interface PoolSettings {
  /**
   * How long establishing a TCP (and TLS) connection may take, in milliseconds.
   * @defaultValue 10000
   */
  readonly connectTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open, in milliseconds (a server's own
   * keep-alive hint may shorten it).
   * @defaultValue 30000
   */
  readonly keepAliveTimeoutMs: number;
  /**
   * Most connections open at once to one origin; null for no limit.
   * @defaultValue null
   */
  readonly connectionsPerOrigin: number | null;
}

export const defaultPoolSettings: PoolSettings = {
  connectTimeoutMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  connectionsPerOrigin: null,
};

/**
 * One keep-alive undici Pool per origin (`https://api.openai.com`), created on first use and
 * shared by every deployment that calls that origin.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly settings: PoolSettings = defaultPoolSettings) {}

  /** The pool for `origin`, created when it is first asked for. */
  poolFor(origin: string): Pool {
    const existing = this.pools.get(origin);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const pool = new Pool(origin, {
      connect: { timeout: this.settings.connectTimeoutMs },
      keepAliveTimeout: this.settings.keepAliveTimeoutMs,
      connections: this.settings.connectionsPerOrigin,
    });
    this.pools.set(origin, pool);
    return pool;
  }

  /** How many origins have a pool. */
  get size(): number {
    return this.pools.size;
  }

  /**
   * Closes every pool: waits for requests in flight to finish, then closes their connections.
   * Pools are created again if the registry is used afterwards.
   */
  async closeAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Destroys every pool at once, failing the requests still in flight. */
  async destroyAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
