import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineAppender, answeredCustomIds, readCompleteLines, readJournal } from './batch-files';

const fresh = (name: string) => join(mkdtempSync(join(tmpdir(), 'sy-batch-files-')), name);

describe('batch files', () => {
  it('appends lines and reads them back; a missing file has none', () => {
    const path = fresh('out.jsonl');
    expect(readCompleteLines(path)).toEqual([]);
    const appender = new LineAppender(path);
    appender.append({ custom_id: 'a' });
    appender.append('"b"');
    appender.close();
    expect(readCompleteLines(path)).toEqual(['{"custom_id":"a"}', '"b"']);
  });

  it('writes the lines of one turn together at its end', async () => {
    const path = fresh('out.jsonl');
    const appender = new LineAppender(path);
    appender.append({ custom_id: 'a' });
    appender.append({ custom_id: 'b' });
    expect(readFileSync(path, 'utf8')).toBe('');
    await appender.written();
    expect(readCompleteLines(path)).toEqual(['{"custom_id":"a"}', '{"custom_id":"b"}']);
    appender.append({ custom_id: 'c' });
    appender.close();
    expect(readCompleteLines(path)).toHaveLength(3);
  });

  it('reports a failed write to written(), to every later append and to close', async () => {
    const appender = new LineAppender('/dev/full');
    appender.append({ custom_id: 'a' });
    await expect(appender.written()).rejects.toThrow(/ENOSPC/);
    expect(() => appender.append({ custom_id: 'b' })).toThrow(/ENOSPC/);
    expect(() => appender.close()).toThrow(/ENOSPC/);
  });

  it('cuts off a last line the writer did not finish', () => {
    const path = fresh('out.jsonl');
    writeFileSync(path, '{"custom_id":"a"}\n{"custom_id":"b"}\n{"custom_id":"c","resp');
    expect([...answeredCustomIds(path)]).toEqual(['a', 'b']);
    expect(readFileSync(path, 'utf8')).toBe('{"custom_id":"a"}\n{"custom_id":"b"}\n');
  });

  it('refuses a results file that is not ours', () => {
    const path = fresh('out.jsonl');
    writeFileSync(path, 'hello\n');
    expect(() => answeredCustomIds(path)).toThrow(/line 1 is not a batch result line/);
  });

  it('reads the journal header and custom_ids, ignoring foreign lines', () => {
    const path = fresh('out.jsonl.submitted');
    writeFileSync(
      path,
      '{"batch_id":"b-1"}\n{"publishing":"x"}\n"x"\n{"publishing":"y"}\n"y"\n{"publishing":"w"}\nnot json\n[1]\n"z',
    );
    expect(readJournal(path)).toEqual({
      batchId: 'b-1',
      customIds: new Set(['x', 'y']),
      publishing: new Set(['x', 'y', 'w']),
    });
    expect(readJournal(fresh('none'))).toEqual({ customIds: new Set(), publishing: new Set() });
  });
});
