/**
 * A batch drained through the queue: BATCH_JOBS (default 10,000) requests run by `switchyard
 * batch run` (compiled CLI) with as many allowed in flight (`--concurrency`, the worker's
 * concurrency and the model's `max_in_flight`), against one simulator deployment that answers
 * after UPSTREAM_MS (default 2,000). With every job allowed in flight at once, the best a queue
 * can do is one upstream latency; the report prints the run's wall time beside it, the
 * simulator's own count of calls (each job called once), the peak RSS of the worker, and the
 * CPU every process spent per job.
 *
 *   npm run build && npx tsx test/bench/batch-drain.bench.ts
 *
 * BATCH_BACKLOG=1 submits the whole batch before the worker starts (a backlog that built up
 * overnight, a pool scaled from zero): the wall time is then counted from the worker's start.
 *
 * BATCH_HEAP=1 loads test/bench/heap-probe.mjs into the worker and, once the CLI has exited,
 * prints the worker's heap before and after a full garbage collection: how much of its memory
 * was garbage not yet collected and how much it still holds.
 *
 * BENCH_PROFILE_DIR=<dir> makes the CLI, the worker and the simulator write CPU profiles.
 *
 * The CLI runs with test/bench/cpu-report.mjs, which prints the CPU it spent as it exits.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { jetstreamManager, type StreamState } from '@nats-io/jetstream';
import { streamNames } from '@switchyard/contracts';
import { closeNats, connectNats } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { childPids, rssMib, startCpuReading, type WatchedProcess } from './process-cpu';
import {
  benchModel,
  benchSimDeployment,
  builtMain,
  setSimLatency,
  startPipelineStack,
  type BenchChild,
  type PipelineStack,
} from './pipeline-stack.test-support';

const jobs = Number(process.env['BATCH_JOBS'] ?? 10_000);
const upstreamMs = Number(process.env['UPSTREAM_MS'] ?? 2_000);
const backlogFirst = process.env['BATCH_BACKLOG'] === '1';
const probeHeap = process.env['BATCH_HEAP'] === '1';
const heapProbe = new URL('./heap-probe.mjs', import.meta.url).href;
const cpuReport = new URL('./cpu-report.mjs', import.meta.url).href;

/** Asks the worker (started with heap-probe.mjs) for its heap before and after a full GC. */
async function heapAfterDrain(worker: BenchChild): Promise<string> {
  if (worker.pid === undefined) throw new Error('the worker has no pid');
  process.kill(worker.pid, 'SIGUSR2');
  for (const giveUpAt = Date.now() + 10_000; Date.now() < giveUpAt; await delay(50)) {
    const found = /heap-probe (\{.*\})/.exec(worker.output())?.[1];
    if (found === undefined) continue;
    const heap = JSON.parse(found) as Record<string, number>;
    return `worker heap after the drain ${heap['heapUsedMiB']} MiB used (RSS ${heap['rssMiB']}); after a full GC ${heap['afterGcHeapUsedMiB']} MiB (RSS ${heap['afterGcRssMiB']})`;
  }
  throw new Error('the worker printed no heap-probe line within 10 s of SIGUSR2');
}

/** When each call the simulator served ended (epoch ms). */
async function callEnds(simUrl: string): Promise<number[]> {
  const response = await fetch(`${simUrl}/_sim/calls?deployment=${benchSimDeployment}`);
  const { calls } = (await response.json()) as { calls: { endedAt: number | null }[] };
  return calls.map((call) => call.endedAt ?? Number.NaN);
}

function inputLines(): string {
  return Array.from({ length: jobs }, (_, i) =>
    JSON.stringify({
      custom_id: `email-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: benchModel,
        messages: [{ role: 'user', content: `Triage email ${i}: the 8:15 is late again.` }],
      },
    }),
  ).join('\n');
}

/**
 * Reads the jobs stream every `everyMs` until `reached(state)`, and resolves when it was
 * (Date.now()); rejects with the CLI's output if the CLI exits first, or after a minute.
 */
async function watchJobsStream(
  stack: PipelineStack,
  cli: ReturnType<typeof startCli>,
  reached: (state: StreamState) => boolean,
  everyMs: number,
): Promise<number> {
  let exited: { code: number | null; output: string } | undefined;
  void cli.exited.then((outcome) => (exited = outcome));
  const nc = await connectNats({
    servers: stack.nats.url,
    name: 'batch-bench',
    logger: createLogger({ name: 'batch-bench', level: 'warn' }),
  });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = streamNames(stack.config.switchyard.nats.streamPrefix).jobs;
    const deadline = Date.now() + 60_000;
    while (!reached((await jsm.streams.info(stream)).state)) {
      if (exited !== undefined) {
        throw new Error(`batch run exited ${exited.code} before submitting: ${exited.output}`);
      }
      if (Date.now() > deadline) throw new Error(`the batch was not submitted within 60 s`);
      await delay(everyMs);
    }
    return Date.now();
  } finally {
    await closeNats(nc);
  }
}

/** How many log lines of each message (`"msg"`), most frequent first: `12 × publishing … failed`. */
function countByMessage(lines: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? '(no message)';
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([message, count]) => `${count} × ${message}`)
    .join(', ');
}

/** The CPU the CLI spent in all, in ms, from the line cpu-report.mjs printed as it exited. */
function cliCpuMs(output: string): number {
  const found = /cpu-report (\{.*\})/.exec(output)?.[1];
  if (found === undefined) throw new Error('the CLI printed no cpu-report line');
  return (JSON.parse(found) as { cpuMs: number }).cpuMs;
}

/** Starts the compiled CLI; `exited` resolves with its exit code and output. */
function startCli(args: readonly string[]) {
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const nodeArgs = [...profile, '--import', cpuReport, builtMain('cli'), ...args];
  const proc = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (data: Buffer) => (output += data.toString()));
  proc.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const exited = once(proc, 'exit').then(([code]) => ({ code: code as number | null, output }));
  return { pid: proc.pid ?? 0, exited };
}

async function main(): Promise<void> {
  const stack = await startPipelineStack({ concurrency: jobs, maxInFlight: jobs });
  process.once('exit', () => stack.killNow());
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-batch-bench-'));
  try {
    await setSimLatency(stack.simUrl, { ttftMs: upstreamMs, perTokenMs: 0 });
    const input = join(dir, 'emails.jsonl');
    const output = join(dir, 'results.jsonl');
    writeFileSync(input, inputLines());
    const cliArgs = [
      'batch',
      'run',
      input,
      '-o',
      output,
      '--concurrency',
      String(jobs),
      '--config',
      stack.configPath,
      '--progress-every-ms',
      '60000',
    ];
    let cliRun: ReturnType<typeof startCli> | undefined;
    if (backlogFirst) {
      // A worker that starts and stops provisions the topology the batch is submitted to.
      await (await stack.startWorkerProcess()).stop();
      cliRun = startCli(cliArgs);
      await watchJobsStream(stack, cliRun, (state) => state.messages >= jobs, 100);
    }
    const worker: BenchChild = await stack.startWorkerProcess(
      probeHeap ? ['--expose-gc', '--import', heapProbe] : [],
    );
    const workerPid = worker.pid ?? 0;
    const watched: WatchedProcess[] = [
      { name: 'worker', pid: workerPid },
      ...(stack.simPid === undefined ? [] : [{ name: 'sim', pid: stack.simPid }]),
      ...childPids('nats-server').map((pid) => ({ name: 'nats', pid })),
      ...childPids('redis-server').map((pid) => ({ name: 'redis', pid })),
    ];
    let peakRss = rssMib(workerPid) ?? 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMib(workerPid) ?? 0);
    }, 100);
    const startedAt = Date.now();
    const started = performance.now();
    cliRun ??= startCli(cliArgs);
    // When the CLI's first job was stored (a run that starts with the stream empty).
    const firstStored = backlogFirst
      ? undefined
      : watchJobsStream(stack, cliRun, (state) => state.last_seq > 0, 20).catch(() => undefined);
    const cpuSince = startCpuReading(watched);
    const cli = await cliRun.exited;
    const elapsedMs = performance.now() - started;
    const cpu = cpuSince();
    clearInterval(sampler);
    const heap = probeHeap ? await heapAfterDrain(worker) : undefined;
    if (cli.code !== 0) throw new Error(`batch run exited ${cli.code}: ${cli.output}`);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    const failed = lines.filter((line) => (JSON.parse(line) as { error: unknown }).error != null);
    const ends = (await callEnds(stack.simUrl)).map((at) => (at - startedAt) / 1000);
    const calls = ends.length;
    const firstStoredAt = await firstStored;
    const cpuMsPerJob = (percent: number) => (percent / 100) * (elapsedMs / jobs);
    process.stdout.write(
      [
        `batch drain: ${jobs} jobs through \`switchyard batch run --concurrency ${jobs}\`, worker concurrency and max_in_flight ${jobs}, upstream ${upstreamMs} ms${backlogFirst ? ', all submitted before the worker started' : ''}`,
        `wall time ${(elapsedMs / 1000).toFixed(1)} s (${backlogFirst ? 'worker start' : 'CLI start'} to CLI exit; best possible with all in flight: ${(upstreamMs / 1000).toFixed(1)} s), ${lines.length} result lines, ${failed.length} errors, ${calls} provider calls`,
        `provider calls ended from ${Math.min(...ends).toFixed(1)} s to ${Math.max(...ends).toFixed(1)} s after ${backlogFirst ? 'the worker' : 'the CLI'} started (each started ${(upstreamMs / 1000).toFixed(1)} s before it ended)`,
        ...(firstStoredAt === undefined
          ? []
          : [
              `the CLI's first job stored ${((firstStoredAt - startedAt) / 1000).toFixed(2)} s after its start, the first provider call started ${(Math.min(...ends) - upstreamMs / 1000).toFixed(2)} s after it`,
            ]),
        `worker peak RSS ${peakRss.toFixed(0)} MiB`,
        ...(heap === undefined ? [] : [heap]),
        `CPU per job (ms, over the run): ${cpu.map((p) => `${p.name} ${cpuMsPerJob(p.percent).toFixed(3)}`).join(', ')}, CLI ${(cliCpuMs(cli.output) / jobs).toFixed(3)}`,
        '',
      ].join('\n'),
    );
    const warnings = worker.output().match(/"level":(40|50)[^\n]*/g) ?? [];
    if (warnings.length > 0) {
      process.stdout.write(
        `${warnings.length} warnings or errors logged: ${countByMessage(warnings)}; the last:\n${warnings.slice(-3).join('\n')}\n`,
      );
    }
    if (lines.length !== jobs || failed.length > 0 || calls !== jobs) {
      throw new Error(`expected ${jobs} answers from ${jobs} calls`);
    }
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
