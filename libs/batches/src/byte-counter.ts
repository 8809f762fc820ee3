/** A file longer than the store accepts; nothing of it stays stored. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

const newline = 0x0a;

/**
 * A pass-through that counts the bytes and lines of what streams through it, and errors the
 * stream (so the store drops what it had) once more than `maxBytes` went through.
 */
export function byteCounter(maxBytes = Number.POSITIVE_INFINITY) {
  const counter = {
    bytes: 0,
    lines: 0,
    tooLarge: false,
    transform: undefined as unknown as TransformStream<Uint8Array, Uint8Array>,
  };
  let lastByte = newline;
  counter.transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      counter.bytes += chunk.byteLength;
      if (counter.bytes > maxBytes) {
        counter.tooLarge = true;
        controller.error(new FileTooLargeError(maxBytes));
        return;
      }
      for (let at = chunk.indexOf(newline); at !== -1; at = chunk.indexOf(newline, at + 1)) {
        counter.lines += 1;
      }
      if (chunk.byteLength > 0) lastByte = chunk[chunk.byteLength - 1] ?? newline;
      controller.enqueue(chunk);
    },
    flush() {
      if (lastByte !== newline) counter.lines += 1;
    },
  });
  return counter;
}
