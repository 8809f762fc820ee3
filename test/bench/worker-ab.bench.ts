/**
 * A/B of two worker builds on one stack: the same NATS, Redis, simulator and client, the two
 * builds' workers run in turn (A, B, A, B, …) so both see the same machine. Each turn starts
 * the build's worker as a child process, warms up 1 s, drives it for BENCH_SECONDS (default
 * 5) at CONCURRENCY (default 64) through the client, and stops it. Prints jobs/s and CPU per
 * job of the worker and of every process (worker, this driver, simulator, nats-server,
 * redis-server) per turn, and each build's median.
 *
 *   git worktree add /tmp/ab-a <rev> && (cd /tmp/ab-a && npm ci && node tools/build.mjs)
 *   npm run build
 *   npx tsx test/bench/worker-ab.bench.ts /tmp/ab-a/dist/services/worker/main.mjs \
 *     dist/services/worker/main.mjs
 *
 * Both builds' workers run with this tree's serviceNodeFlags, as `switchyard up` starts a worker.
 * ROUNDS (default 4) turns per build; WORKER_NODE_OPTIONS (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`) go to node before the worker's main, and A_NODE_OPTIONS /
 * B_NODE_OPTIONS to one build's only (to A/B a V8 flag, give the same main twice; a flag given
 * there again overrides serviceNodeFlags'). The RSS printed is the worker's once it has started
 * (idle) and after the turn's load.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Switchyard } from '@switchyard/client';
import { serviceNodeFlags } from '@switchyard/entrypoint';
import { closeNats, connectNats } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { median, runFixedTime } from './fixed-time-run';
import { childPids, rssMib, startCpuReading, type WatchedProcess } from './process-cpu';
import { benchModel, startPipelineStack } from './pipeline-stack.test-support';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const concurrency = Number(process.env['CONCURRENCY'] ?? 64);
const rounds = Number(process.env['ROUNDS'] ?? 4);
const logger = createLogger({ name: 'worker-ab', level: 'warn' });

interface Turn {
  build: string;
  perSecond: number;
  workerMsPerJob: number;
  allMsPerJob: number;
  workerIdleRssMib: number;
  workerRssMib: number;
}

async function startWorker(main: string, build: 'A' | 'B', configPath: string) {
  const nodeOptions = [process.env['WORKER_NODE_OPTIONS'], process.env[`${build}_NODE_OPTIONS`]]
    .join(' ')
    .split(' ')
    .filter(Boolean);
  const args = [
    ...serviceNodeFlags,
    ...nodeOptions,
    main,
    '--provider',
    'openai',
    '--config',
    configPath,
  ];
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${text}`)), 30_000);
    const check = (data: Buffer): void => {
      text += data.toString();
      if (/worker pulling/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.once('exit', (code) => reject(new Error(`worker exited (${code}): ${text}`)));
  });
  return {
    pid: proc.pid ?? 0,
    async stop() {
      proc.removeAllListeners('exit');
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

async function main(): Promise<void> {
  const builds = process.argv.slice(2);
  if (builds.length !== 2)
    throw new Error('usage: worker-ab.bench.ts <worker main A> <worker main B>');
  const stack = await startPipelineStack();
  process.once('exit', () => stack.killNow());
  const nc = await connectNats({ servers: stack.nats.url, name: 'ab-client', logger });
  const nats = stack.config.switchyard.nats;
  const client = new Switchyard({
    nc,
    subjectRoot: nats.subjectRoot,
    streamPrefix: nats.streamPrefix,
    timeoutMs: 30_000,
  });
  const others: WatchedProcess[] = [
    { name: 'driver', pid: 'self' },
    ...(stack.simPid === undefined ? [] : [{ name: 'sim', pid: stack.simPid }]),
    ...childPids('nats-server').map((pid) => ({ name: 'nats', pid })),
    ...childPids('redis-server').map((pid) => ({ name: 'redis', pid })),
  ];
  const call = async () => {
    const started = performance.now();
    await client.chat.completions.create({
      model: benchModel,
      messages: [{ role: 'user', content: 'Summarise the timetable changes, please.' }],
    });
    return { totalMs: performance.now() - started };
  };
  const turns: Turn[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [index, main] of builds.entries()) {
        const build = index === 0 ? 'A' : 'B';
        const worker = await startWorker(main, build, stack.configPath);
        const workerIdleRssMib = rssMib(worker.pid) ?? Number.NaN;
        try {
          await runFixedTime({ concurrency, seconds: 1, warmMs: 0, call });
          const watched = [{ name: 'worker', pid: worker.pid }, ...others];
          const cpuSince = startCpuReading(watched);
          const result = await runFixedTime({ concurrency, seconds, warmMs: 0, call });
          const cpu = cpuSince();
          const msPerJob = (percent: number) => (percent * 10) / result.perSecond;
          const workerPercent = cpu.find((p) => p.name === 'worker')?.percent ?? Number.NaN;
          const turn = {
            build,
            perSecond: result.perSecond,
            workerMsPerJob: msPerJob(workerPercent),
            allMsPerJob: msPerJob(cpu.reduce((sum, p) => sum + p.percent, 0)),
            workerIdleRssMib,
            workerRssMib: rssMib(worker.pid) ?? Number.NaN,
          };
          turns.push(turn);
          process.stdout.write(
            `round ${round} ${build}: ${turn.perSecond.toFixed(0)} jobs/s, worker ${turn.workerMsPerJob.toFixed(3)} ms CPU/job, all processes ${turn.allMsPerJob.toFixed(3)} ms CPU/job, worker RSS idle ${turn.workerIdleRssMib.toFixed(0)} / loaded ${turn.workerRssMib.toFixed(0)} MiB\n`,
          );
        } finally {
          await worker.stop();
        }
      }
    }
    for (const build of ['A', 'B']) {
      const mine = turns.filter((t) => t.build === build);
      const m = (pick: (t: Turn) => number) => median(mine.map(pick));
      process.stdout.write(
        `${build} median (concurrency ${concurrency}): ${m((t) => t.perSecond).toFixed(0)} jobs/s, worker ${m((t) => t.workerMsPerJob).toFixed(3)} ms CPU/job, all ${m((t) => t.allMsPerJob).toFixed(3)} ms CPU/job, worker RSS idle ${m((t) => t.workerIdleRssMib).toFixed(0)} / loaded ${m((t) => t.workerRssMib).toFixed(0)} MiB\n`,
      );
    }
  } finally {
    await closeNats(nc);
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
