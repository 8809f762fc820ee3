import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressReporter, progressLine } from './batch-progress';

describe('batch progress', () => {
  it('shows done, failed, rate and ETA', () => {
    const counts = { total: 1000, alreadyDone: 100, succeeded: 180, failed: 20 };
    expect(progressLine(counts, 10_000)).toBe('300/1000 done, 20 failed, 20.0/s, ETA 35s');
    expect(progressLine({ ...counts, succeeded: 0, failed: 0 }, 0)).toBe(
      '100/1000 done, 0 failed, 0.0/s, ETA ?',
    );
    expect(progressLine({ total: 10, alreadyDone: 10, succeeded: 0, failed: 0 }, 5)).toContain(
      'ETA 0s',
    );
    expect(
      progressLine({ total: 100_000, alreadyDone: 0, succeeded: 10, failed: 0 }, 1_000),
    ).toContain('ETA 2h46m');
  });

  function sink(isTTY: boolean) {
    let text = '';
    const err = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString('utf8');
          done();
        },
      }),
      { isTTY },
    );
    return { err, text: () => text };
  }

  it('redraws in place on a terminal and prints lines otherwise', () => {
    const counts = () => ({ total: 2, alreadyDone: 0, succeeded: 1, failed: 0 });
    const tty = sink(true);
    const onTty = new ProgressReporter(tty.err, counts);
    onTty.tick();
    onTty.finish();
    const clearLine = '\u001b[K';
    expect(tty.text().split(clearLine)).toEqual([
      expect.stringMatching(/^\r1\/2 done/),
      expect.stringMatching(/^\r1\/2 done/),
      '\n',
    ]);
    const log = sink(false);
    const onLog = new ProgressReporter(log.err, counts, 60_000);
    onLog.tick();
    onLog.tick();
    onLog.finish();
    expect(log.text().split('\n').filter(Boolean)).toHaveLength(2);
    expect(log.text()).not.toContain('\r');
  });
});
