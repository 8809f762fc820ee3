import type { Deployment } from '@switchyard/config';
import { createLogger } from '@switchyard/telemetry';
import { describe, expect, it } from 'vitest';
import { StandbyGate, standbyRank } from './standby-gate';

const deployment = (order?: number) =>
  ({ ...(order === undefined ? {} : { order }) }) as Deployment;
const logger = createLogger({ name: 'standby-spec', level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('standbyRank', () => {
  it('counts the order tiers of the model below the pool’s best deployment', () => {
    const azure = [deployment(1), deployment(1)];
    const openai = [deployment(2)];
    const anthropic = [deployment()];
    const all = [...azure, ...openai, ...anthropic];
    expect(standbyRank(azure, all)).toBe(0);
    expect(standbyRank(openai, all)).toBe(1);
    expect(standbyRank(anthropic, all)).toBe(2);
    expect(standbyRank([deployment(), deployment(3)], all)).toBe(2);
    expect(standbyRank([deployment()], [deployment(), deployment()])).toBe(0);
  });
});

describe('StandbyGate', () => {
  /** A consumer that records whether it is paused. */
  function consumer() {
    const state = { paused: true, concurrency: 0 };
    return {
      state,
      target: {
        pause: () => void (state.paused = true),
        resume: () => void (state.paused = false),
        setConcurrency: (n: number) => void (state.concurrency = n),
      },
    };
  }

  it('pulls once jobs waited through rank + 1 checks in a row, and stops at the first with none', async () => {
    const { state, target } = consumer();
    let waiting = 0;
    const gate = new StandbyGate(target, {
      rank: 1,
      waiting: () => Promise.resolve(waiting),
      logger,
    });
    const checks = async (n: number) => {
      for (let i = 0; i < n; i += 1) await gate.check();
      return [gate.open, state.paused];
    };
    expect(await checks(3)).toEqual([false, true]);
    waiting = 3;
    expect(await checks(1)).toEqual([false, true]);
    expect(await checks(1)).toEqual([true, false]);
    waiting = 0;
    expect(await checks(1)).toEqual([false, true]);
    waiting = 3;
    expect(await checks(1)).toEqual([false, true]);
  });

  it('keeps its state when the waiting jobs cannot be read', async () => {
    const { state, target } = consumer();
    let fail = false;
    const waiting = () => (fail ? Promise.reject(new Error('no JetStream')) : Promise.resolve(1));
    const gate = new StandbyGate(target, { rank: 0, waiting, logger });
    await gate.check();
    fail = true;
    await gate.check();
    expect([gate.open, state.paused]).toEqual([true, false]);
  });

  it("keeps the board's pause while serving, and passes its concurrency on", async () => {
    const { state, target } = consumer();
    const gate = new StandbyGate(target, { rank: 0, waiting: () => Promise.resolve(1), logger });
    await gate.check();
    expect(state.paused).toBe(false);
    gate.pause();
    expect(state.paused).toBe(true);
    gate.setConcurrency(8);
    gate.resume();
    expect(state).toEqual({ paused: false, concurrency: 8 });
    gate.pause(20);
    await sleep(40);
    expect(state.paused).toBe(false);
  });

  it('checks on its own every checkMs once started', async () => {
    const { state, target } = consumer();
    const gate = new StandbyGate(target, {
      rank: 0,
      waiting: () => Promise.resolve(1),
      logger,
      checkMs: 10,
    });
    gate.start();
    await sleep(100);
    gate.stop();
    expect(state.paused).toBe(false);
  });
});
