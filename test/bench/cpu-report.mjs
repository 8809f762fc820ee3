// Loaded into a benchmarked process that exits by itself (`--import`, batch-drain.bench.ts loads
// it into the CLI): when it exits it prints the CPU it spent, every thread included, as one
// `cpu-report {…}` line on stderr, since a process that has exited can no longer be read.
process.once('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`cpu-report ${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
