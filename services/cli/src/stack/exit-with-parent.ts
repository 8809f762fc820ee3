/**
 * Loaded (`--import`) into every process `switchyard up` starts: standard input is a pipe
 * from `up`, and when it closes — `up` exited, even by SIGKILL — this process is sent
 * SIGTERM and stops as it would on Ctrl-C, so no service outlives the stack.
 */
let signalled = false;
process.stdin.on('end', () => {
  if (signalled) return;
  signalled = true;
  process.kill(process.pid, 'SIGTERM');
});
process.stdin.on('error', () => undefined);
process.stdin.resume();
process.stdin.unref();
