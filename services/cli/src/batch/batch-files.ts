import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';

/**
 * An append-only file of JSON lines. Lines appended in one turn of the event loop leave in one
 * `write` at its end: a batch of 10,000 wrote 30,000 lines one `write` each, a tenth of the
 * CLI's CPU. What `written()` resolves for is in the kernel, and survives the process being
 * killed (SIGKILL) the moment after; lines not yet written are lost with the process.
 */
export class LineAppender {
  private readonly fd: number;
  private pending = '';
  /** Resolves after the write at the end of this turn; set while lines wait for it. */
  private endOfTurnWrite: Promise<void> | undefined;
  /** Why a write failed: every later call throws it. */
  private failure: Error | undefined;

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Adds one line, written at the end of this turn of the event loop. */
  append(value: unknown): void {
    if (this.failure !== undefined) throw this.failure;
    this.pending += `${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
    this.endOfTurnWrite ??= new Promise((resolve) =>
      setImmediate(() => {
        this.writePending();
        resolve();
      }),
    );
  }

  /** Resolves once every line appended so far is written; rejects if a write failed. */
  async written(): Promise<void> {
    await this.endOfTurnWrite;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Writes what is pending, then closes the file; throws if a write failed. */
  close(): void {
    this.writePending();
    closeSync(this.fd);
    if (this.failure !== undefined) throw this.failure;
  }

  private writePending(): void {
    this.endOfTurnWrite = undefined;
    if (this.pending === '' || this.failure !== undefined) return;
    const text = this.pending;
    this.pending = '';
    try {
      writeSync(this.fd, text);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}

/**
 * The lines of a file written by a {@link LineAppender}, after cutting off a last line that
 * was not finished (no newline: the writer was killed mid-write). A missing file has none.
 */
export function readCompleteLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  return text
    .slice(0, end)
    .split('\n')
    .filter((line) => line.length > 0);
}

/**
 * The custom_ids already answered in a results file. A line that is not a JSON object with a
 * string custom_id makes the file unusable for resuming (it is not ours): an Error says so.
 */
export function answeredCustomIds(outputPath: string): Set<string> {
  const answered = new Set<string>();
  readCompleteLines(outputPath).forEach((line, index) => {
    let customId: unknown;
    try {
      customId = (JSON.parse(line) as { custom_id?: unknown }).custom_id;
    } catch {
      customId = undefined;
    }
    if (typeof customId !== 'string') {
      throw new Error(
        `${outputPath} line ${index + 1} is not a batch result line; choose another output file`,
      );
    }
    answered.add(customId);
  });
  return answered;
}

/** What the submit journal holds. */
export interface SubmitJournal {
  /** The batch the journal belongs to (its first line). */
  batchId?: string;
  /** Requests whose publish JetStream acknowledged. */
  customIds: Set<string>;
  /** Requests about to be published: without an acknowledgement, whether they were is unknown. */
  publishing: Set<string>;
}

function readJournalLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Reads the submit journal: a first line `{"batch_id":…}`, then per request
 * `{"publishing":"<custom_id>"}` before its publish and `"<custom_id>"` once JetStream
 * acknowledged it. Lines that are not of these shapes are ignored.
 */
export function readJournal(journalPath: string): SubmitJournal {
  const [first, ...rest] = readCompleteLines(journalPath);
  const journal: SubmitJournal = { customIds: new Set(), publishing: new Set() };
  const header = first === undefined ? undefined : readJournalLine(first);
  if (typeof header === 'object' && header !== null && 'batch_id' in header) {
    if (typeof header.batch_id === 'string') journal.batchId = header.batch_id;
  }
  for (const line of rest) {
    const entry = readJournalLine(line);
    if (typeof entry === 'string') journal.customIds.add(entry);
    else if (typeof entry === 'object' && entry !== null && 'publishing' in entry) {
      if (typeof entry.publishing === 'string') journal.publishing.add(entry.publishing);
    }
  }
  return journal;
}
