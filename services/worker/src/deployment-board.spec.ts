import { parseConfig, type Deployment } from '@switchyard/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeploymentBoard, type FlowTarget } from './deployment-board';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
    '  - model_name: m',
    '    litellm_params: { model: openai/gpt-4o, api_key: k }',
  ].join('\n'),
  { env: {} },
);
const [a, b] = (config.models['m']?.deployments ?? []) as [Deployment, Deployment];

function fakeConsumer() {
  const calls: string[] = [];
  const target: FlowTarget & { calls: string[] } = {
    calls,
    pause(forMs) {
      calls.push(`pause ${forMs}`);
    },
    resume() {
      calls.push('resume');
    },
    setConcurrency(n) {
      calls.push(`concurrency ${n}`);
    },
  };
  return target;
}

describe('DeploymentBoard', () => {
  afterEach(() => vi.useRealTimers());

  it('offers deployments with a free slot that are not blocked', () => {
    const board = new DeploymentBoard([a, b], 1);
    expect(board.tryAcquire(a.id)).toBe(true);
    expect(board.tryAcquire(a.id)).toBe(false);
    expect(board.usable()).toEqual([b]);
    board.release(a.id);
    board.block(b.id, Date.now() + 10_000);
    expect(board.usable()).toEqual([a]);
  });

  it('lowers the consumer concurrency when one deployment is blocked, pauses when all are, and resumes after', () => {
    vi.useFakeTimers();
    const board = new DeploymentBoard([a, b], 4);
    const consumer = fakeConsumer();
    board.attach(consumer);
    expect(consumer.calls).toEqual(['concurrency 8']);

    board.block(a.id, Date.now() + 1_000);
    expect(consumer.calls.at(-1)).toBe('concurrency 4');
    board.block(b.id, Date.now() + 2_000);
    expect(consumer.calls.at(-1)).toBe('pause 1000');
    expect(board.waitMs()).toBe(1_000);

    vi.advanceTimersByTime(1_000);
    expect(consumer.calls.slice(-2)).toEqual(['concurrency 4', 'resume']);
    vi.advanceTimersByTime(1_000);
    expect(consumer.calls.at(-1)).toBe('concurrency 8');
    board.detach();
  });
});
