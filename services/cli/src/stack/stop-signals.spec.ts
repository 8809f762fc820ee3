import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchStopSignals, type StopSignals } from './stop-signals';

let watching: StopSignals | undefined;
afterEach(() => {
  watching?.dispose();
  vi.useRealTimers();
});

describe('watchStopSignals', () => {
  it('resolves with the first signal, ignores the copy npm forwards, and forces on a later one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const force = vi.fn();
    watching = watchStopSignals(force);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(await watching.requested).toBe('SIGINT');
    expect(force).not.toHaveBeenCalled();
    vi.setSystemTime(Date.now() + 2_500);
    process.emit('SIGTERM', 'SIGTERM');
    expect(force).toHaveBeenCalledWith('SIGTERM');
  });

  it('stops listening when disposed', () => {
    const before = process.listenerCount('SIGINT');
    watching = watchStopSignals(() => undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    watching.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
