/**
 * A bounded set of recently seen keys: the oldest key is forgotten when the set is full.
 * The router uses it to answer a dead letter it has already handled (redelivered after a
 * lost ack) at most once from this process.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next();
      if (oldest.done !== true) this.keys.delete(oldest.value);
    }
  }
}
