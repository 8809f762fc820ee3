import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallAbort } from './call-abort';

describe('CallAbort', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts with the reason the consumer hands the job back with, and not as cancelled', () => {
    const delivery = new AbortController();
    const call = new CallAbort(delivery.signal, undefined);
    const reason = new Error('the consumer stopped');
    delivery.abort(reason);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
    expect(call.cancelled).toBe(false);
  });

  it('starts aborted when the job was handed back before the call', () => {
    const delivery = new AbortController();
    delivery.abort(new Error('gone'));
    expect(new CallAbort(delivery.signal, undefined).signal.aborted).toBe(true);
  });

  it('aborts as cancelled when the caller cancels, also after the deadline aborted it', () => {
    vi.useFakeTimers({ now: 1_000 });
    const call = new CallAbort(new AbortController().signal, 1_050);
    vi.advanceTimersByTime(50);
    expect((call.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(call.cancelled).toBe(false);
    call.cancel(new Error('cancelled by its caller'));
    expect(call.cancelled).toBe(true);
  });

  it('aborts with a TimeoutError when the deadline passes, not before', () => {
    vi.useFakeTimers({ now: 1_000 });
    const call = new CallAbort(new AbortController().signal, 1_200);
    vi.advanceTimersByTime(199);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('after dispose, neither the deadline nor the delivery aborts the call', () => {
    vi.useFakeTimers({ now: 1_000 });
    const delivery = new AbortController();
    const call = new CallAbort(delivery.signal, 1_100);
    call.dispose();
    vi.advanceTimersByTime(1_000);
    delivery.abort(new Error('late'));
    expect(call.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
