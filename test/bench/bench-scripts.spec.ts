import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { adapterFor, adapterProviders } from '@switchyard/providers';
import { describe, expect, it } from 'vitest';

/**
 * The scripts of `npm run bench` and the two run by hand (the Batch API run, the worker A/B),
 * each run once in a small bounded form (a fraction of a second per measurement, a few hundred
 * jobs), so that a script broken by a change fails the suite instead of the next person's
 * benchmark run. Nothing here is timed: a script must exit 0 and print every row it owes; the
 * figures are not read.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** How long one script may run before it is stopped (its test fails with what it printed). */
const scriptLimitMs = 150_000;

/**
 * Runs `test/bench/<name>` under tsx with `env` (stopped after scriptLimitMs); resolves its
 * exit code (null when it was stopped) and everything it printed.
 */
async function runBench(
  name: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `test/bench/${name}`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: scriptLimitMs,
  });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    output += data.toString();
  });
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, output };
}

/** The markdown table row (`| a | b | …`) whose first two cells are `path` and `concurrency`. */
function tableRow(stdout: string, path: string, concurrency: number): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith(`| ${path} | ${concurrency} |`));
}

describe('the npm run bench scripts, bounded', { timeout: scriptLimitMs + 10_000 }, () => {
  it('provider-sim: every API served with no errors', async () => {
    const run = await runBench('provider-sim.bench.ts', { BENCH_SECONDS: '0.5' });
    expect(run.code, run.output).toBe(0);
    for (const api of ['openai', 'azure', 'anthropic', 'gemini']) {
      expect(run.stdout, run.output).toMatch(
        new RegExp(`^${api} +\\d+ +[\\d.]+ +[\\d.]+ +0$`, 'm'),
      );
    }
  });

  it('provider-translation: a row for every adapter', async () => {
    const run = await runBench('provider-translation.bench.ts', { BENCH_MS: '3' });
    expect(run.code, run.output).toBe(0);
    const firstNames = adapterProviders.filter((name) => adapterFor(name).providers[0] === name);
    expect(firstNames).toContain('bedrock');
    for (const name of firstNames) {
      expect(run.stdout, run.output).toMatch(new RegExp(`^${name}[ ,]`, 'm'));
    }
  });

  it('token-estimate: each prompt kind, and the RSS of each encoding loaded alone', async () => {
    const run = await runBench('token-estimate.bench.ts', { BENCH_MS: '3', SETTLE_SECONDS: '1' });
    expect(run.code, run.output).toBe(0);
    for (const row of ['prose', 'json', 'random words', 'none', 'o200k_base', 'cl100k_base']) {
      expect(run.stdout, run.output).toContain(`| ${row} |`);
    }
  });

  it('pipeline: raw JetStream, the direct call and Switchyard at each concurrency', async () => {
    const run = await runBench('pipeline.bench.ts', { BENCH_SECONDS: '0.3' });
    expect(run.code, run.output).toBe(0);
    for (const path of ['raw JetStream', 'Switchyard, worker child process']) {
      for (const concurrency of [1, 64, 256]) {
        expect(tableRow(run.stdout, path, concurrency), `${path} at ${concurrency}`).toBeDefined();
      }
    }
    expect(tableRow(run.stdout, 'direct', 1)).toBeDefined();
  });

  it('gateway: the client, HTTP and the plain NATS request at 1 and 64', async () => {
    const run = await runBench('gateway.bench.ts', { BENCH_SECONDS: '0.3' });
    expect(run.code, run.output).toBe(0);
    for (const path of ['Switchyard client', 'gateway (HTTP)', 'gateway (plain NATS request)']) {
      for (const concurrency of [1, 64]) {
        expect(tableRow(run.stdout, path, concurrency), `${path} at ${concurrency}`).toBeDefined();
      }
    }
  });

  it('metering: every batch size drains its events', async () => {
    const run = await runBench('metering.bench.ts', {}, ['300']);
    expect(run.code, run.output).toBe(0);
    for (const size of [1, 64, 256]) {
      expect(run.stdout, run.output).toMatch(new RegExp(`batch +${size}: +[\\d,]+ events/s`));
    }
  });

  it('batch-drain: every job answered once through switchyard batch run', async () => {
    const run = await runBench('batch-drain.bench.ts', { BATCH_JOBS: '300', UPSTREAM_MS: '200' });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout, run.output).toContain('300 result lines, 0 errors, 300 provider calls');
  });

  it('batch-api (run by hand): a Batch API batch completed, each line called once', async () => {
    const run = await runBench('batch-api.bench.ts', { BATCH_LINES: '200', UPSTREAM_MS: '50' });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout, run.output).toContain(
      'provider calls 200; counts {"total":200,"completed":200,"failed":0}',
    );
  });

  it('worker-ab (run by hand): both builds measured', async () => {
    const worker = 'dist/services/worker/main.mjs';
    const run = await runBench('worker-ab.bench.ts', { ROUNDS: '1', BENCH_SECONDS: '0.5' }, [
      worker,
      worker,
    ]);
    expect(run.code, run.output).toBe(0);
    for (const build of ['A', 'B']) {
      expect(run.stdout, run.output).toMatch(
        new RegExp(`^${build} median \\(concurrency 64\\): \\d+ jobs/s`, 'm'),
      );
    }
  });

  it('idle-rss: each service of switchyard up sampled', async () => {
    const run = await runBench('idle-rss.bench.ts', { IDLE_SECONDS: '2', SAMPLE_SECONDS: '1' });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout, run.output).toMatch(/^gateway +\d+ \/ \d+$/m);
    expect(run.stdout, run.output).toMatch(/^worker-openai +\d+ \/ \d+$/m);
  });
});
