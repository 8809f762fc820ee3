/**
 * Idle RSS of every service as `npm start` runs them: starts `switchyard up` (the demo config,
 * its own nats-server and redis-server on free ports, in a temporary directory), sends nothing,
 * and prints each service's RSS every SAMPLE_SECONDS (default 30) for IDLE_SECONDS (default
 * 180) after the stack is ready. V8 gives back what start-up allocated only after a minute or
 * two without work (its memory reducer), so the first and the last column differ.
 *
 *   npm run build && npx tsx test/bench/idle-rss.bench.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findFreePort } from '@switchyard/local-servers';
import { startUp } from '../readme/up-process.test-support';
import { rssMib } from './process-cpu';

const idleSeconds = Number(process.env['IDLE_SECONDS'] ?? 180);
const sampleSeconds = Number(process.env['SAMPLE_SECONDS'] ?? 30);

/** The services `up` started: name (`worker-openai` for a worker pool) → pid. */
function services(upPid: number): Map<string, number> {
  const found = new Map<string, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== upPid) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const main = args.find((arg) => /services\/[^/]+\/main\.mjs$/.test(arg));
      // redis-server rewrites its command line to `redis-server <address>`.
      const program = args[0]?.split('/').pop()?.split(' ')[0];
      const service = main === undefined ? program : main.split('/').at(-2);
      const provider = args[args.indexOf('--provider') + 1];
      const name =
        service === 'worker' && args.includes('--provider') ? `worker-${provider}` : service;
      if (name !== undefined) found.set(name, Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

async function main(): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'sy-idle-'));
  const ports = [
    '--port',
    String(await findFreePort()),
    '--sim-port',
    String(await findFreePort()),
  ];
  const up = startUp(ports, {
    cwd,
    env: {
      ...process.env,
      NATS_URL: `nats://127.0.0.1:${await findFreePort()}`,
      REDIS_URL: `redis://127.0.0.1:${await findFreePort()}`,
      LOG_LEVEL: 'info',
    },
  });
  const { child } = up;
  try {
    const deadline = Date.now() + 60_000;
    while (!up.lines().some((line) => line['event'] === 'ready') && child.exitCode === null) {
      if (Date.now() > deadline) throw new Error(`the stack did not start:\n${up.output()}`);
      await delay(200);
    }
    if (child.exitCode !== null) throw new Error(`switchyard up exited:\n${up.output()}`);
    const upPid = child.pid ?? 0;
    const samples = new Map<string, string[]>();
    const seconds: number[] = [];
    for (let at = sampleSeconds; at <= idleSeconds; at += sampleSeconds) {
      await delay(sampleSeconds * 1_000);
      seconds.push(at);
      for (const [name, pid] of services(upPid)) {
        const column = samples.get(name) ?? [];
        column.push((rssMib(pid) ?? Number.NaN).toFixed(0));
        samples.set(name, column);
      }
    }
    process.stdout.write(
      `idle RSS (MiB) of the services \`switchyard up\` started, s after ready: ${seconds.join(' / ')}\n`,
    );
    for (const [name, column] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
      process.stdout.write(`${name.padEnd(18)} ${column.join(' / ')}\n`);
    }
  } finally {
    child.kill('SIGINT');
    await up.exited;
    rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
