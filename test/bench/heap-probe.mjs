// Loaded into a benchmarked service with `--expose-gc --import` (batch-drain.bench.ts,
// BATCH_HEAP=1): on SIGUSR2 it prints the process's memory, runs a full garbage collection and
// prints it again, as one `heap-probe {…}` line on stderr. What a full collection frees was
// garbage waiting for one; what it leaves is what the process still holds.
const mib = (bytes) => Math.round(bytes / 1048576);

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  globalThis.gc();
  const after = process.memoryUsage();
  const line = {
    rssMiB: mib(before.rss),
    heapUsedMiB: mib(before.heapUsed),
    afterGcRssMiB: mib(after.rss),
    afterGcHeapUsedMiB: mib(after.heapUsed),
  };
  process.stderr.write(`heap-probe ${JSON.stringify(line)}\n`);
});
