/**
 * Keeps the first and the last lines a child process wrote, so that a failed start can say
 * why without buffering the whole log: a usage error is printed first, a fatal error last.
 */
export class OutputExcerpt {
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  private dropped = 0;
  private partial = '';

  constructor(
    private readonly maxHead = 5,
    private readonly maxTail = 20,
  ) {}

  /** Appends a chunk of output; complete lines are kept, the unfinished rest waits for more. */
  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.keep(line);
  }

  /** The kept lines, oldest first, with a marker where lines were left out. */
  text(): string {
    const tail = this.partial.trim() === '' ? this.tail : [...this.tail, this.partial];
    const gap =
      this.dropped > 0 ? [`… (${this.dropped} line${this.dropped === 1 ? '' : 's'} left out)`] : [];
    return [...this.head, ...gap, ...tail].join('\n');
  }

  private keep(line: string): void {
    if (line.trim() === '') return;
    if (this.head.length < this.maxHead) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    if (this.tail.length > this.maxTail) {
      this.tail.shift();
      this.dropped++;
    }
  }
}
