import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Runs `count` copies of `task` at once, started `perTurn` per turn of the event loop (each
 * runs until its first await before the next starts), and resolves when all have ended. What
 * the first ones do at the end of their turn (a socket write) is not held back until every
 * copy has started. Rejects with the first failure; none starts after it, those started run
 * on.
 */
export async function runInTurns(
  count: number,
  perTurn: number,
  task: () => Promise<void>,
): Promise<void> {
  const started: Promise<void>[] = [];
  let failed = false;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % perTurn === 0) {
      await nextTurn();
      // A failure is seen only across an await: this is where a task can have failed.
      if (failed) break;
    }
    const running = task();
    // Awaited below with the others; until then its failure must not count as unhandled.
    running.catch(() => (failed = true));
    started.push(running);
  }
  await Promise.all(started);
}
