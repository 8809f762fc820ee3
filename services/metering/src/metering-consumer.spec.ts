import type { JsMsg } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { MessageBatches } from './metering-consumer';

const message = (seq: number) => ({ seq }) as unknown as JsMsg;
const seqs = (batch: JsMsg[]) => batch.map((msg) => msg.seq);

describe('MessageBatches', () => {
  it('waits for a first message, then up to lingerMs for the batch to fill', async () => {
    const batches = new MessageBatches();
    const taken = batches.take(3, 60_000);
    batches.push(message(1));
    setTimeout(() => batches.push(message(2)), 5);
    setTimeout(() => batches.push(message(3)), 10);
    const started = Date.now();
    expect(seqs(await taken)).toEqual([1, 2, 3]);
    // Well before the linger would have ended: the third message ended the wait.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('takes what came once lingerMs is over', async () => {
    const batches = new MessageBatches();
    batches.push(message(1));
    batches.push(message(2));
    expect(seqs(await batches.take(256, 20))).toEqual([1, 2]);
    batches.push(message(3));
    expect(seqs(await batches.take(256, 20))).toEqual([3]);
  });

  it('takes a full batch at once, and at most max', async () => {
    const batches = new MessageBatches();
    for (let seq = 1; seq <= 5; seq++) batches.push(message(seq));
    const started = Date.now();
    expect(seqs(await batches.take(4, 60_000))).toEqual([1, 2, 3, 4]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(seqs(await batches.take(4))).toEqual([5]);
  });

  it('ends a wait when closed: what is waiting, then an empty batch', async () => {
    const batches = new MessageBatches();
    batches.push(message(1));
    const taken = batches.take(256, 60_000);
    batches.close();
    expect(seqs(await taken)).toEqual([1]);
    expect(await batches.take(256, 60_000)).toEqual([]);
  });
});
