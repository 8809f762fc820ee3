import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runInTurns } from './run-in-turns';

describe('runInTurns: many tasks at once, started a few per turn of the event loop', () => {
  it('starts at most perTurn tasks before the event loop turns, and runs every one to its end', async () => {
    let started = 0;
    let ended = 0;
    const running = runInTurns(10, 4, async () => {
      started += 1;
      await nextTurn();
      await nextTurn();
      ended += 1;
    });
    const startedByTurn = [started];
    await nextTurn();
    startedByTurn.push(started);
    await nextTurn();
    startedByTurn.push(started);
    await running;
    expect(startedByTurn).toEqual([4, 8, 10]);
    expect(ended).toBe(10);
  });

  it('rejects with the first failure, starts none after it, and leaves none unhandled', async () => {
    let started = 0;
    const failing = runInTurns(6, 2, async () => {
      const number = (started += 1);
      await nextTurn();
      throw new Error(`task ${number} failed`);
    });
    await expect(failing).rejects.toThrow('task 1 failed');
    expect(started).toBe(2);
  });

  it('does nothing for no tasks', async () => {
    await expect(runInTurns(0, 4, () => Promise.reject(new Error('never')))).resolves.toBe(
      undefined,
    );
  });
});
