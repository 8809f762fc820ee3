/**
 * Throughput of the provider simulator: one simulator process (pinned to one core with
 * `taskset` when available), driven from this process with undici (keep-alive, 64 requests in
 * flight) for BENCH_SECONDS (default 10) per provider API, non-streaming.
 *
 *   npm run build && npx tsx test/bench/provider-sim.bench.ts
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const concurrency = 64;
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const question = 'Summarise the timetable changes for the northern line this weekend, please.';
const targets: Target[] = [
  {
    name: 'openai',
    path: '/v1/chat/completions',
    headers: { authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: question }] }),
  },
  {
    name: 'azure',
    path: '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    headers: { 'api-key': 'bench' },
    body: JSON.stringify({ messages: [{ role: 'user', content: question }] }),
  },
  {
    name: 'anthropic',
    path: '/v1/messages',
    headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: question }],
    }),
  },
  {
    name: 'gemini',
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    headers: { 'x-goog-api-key': 'bench' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: question }] }] }),
  },
];

function hasTaskset(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

async function startSimulator(pinned: boolean): Promise<{ child: ChildProcess; url: string }> {
  const node = [process.execPath, `${root}dist/services/provider-sim/main.mjs`, '--port', '0'];
  const [command, ...args] = pinned ? ['taskset', '-c', '0', ...node] : node;
  const child = spawn(command ?? process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${output}`)));
  });
  return { child, url };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function drive(
  pool: Pool,
  target: Target,
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const headers = { ...target.headers, 'content-type': 'application/json' };
  const warmUntil = performance.now() + 1000;
  const started = warmUntil;
  const endAt = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    for (;;) {
      const sent = performance.now();
      if (sent >= endAt) return;
      try {
        const response = await pool.request({
          method: 'POST',
          path: target.path,
          headers,
          body: target.body,
        });
        await response.body.text();
        if (response.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      if (sent >= warmUntil) latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function main(): Promise<void> {
  const pinned = hasTaskset();
  const { child, url } = await startSimulator(pinned);
  const pool = new Pool(url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  process.stdout.write(
    `provider-sim benchmark: ${seconds} s per API, ${concurrency} in flight, keep-alive; simulator ${pinned ? 'pinned to core 0 (taskset -c 0)' : 'NOT pinned (taskset not available)'}\n\n`,
  );
  process.stdout.write('api        requests/s     p50 ms    p99 ms   errors\n');
  try {
    for (const target of targets) {
      const result = await drive(pool, target);
      process.stdout.write(
        `${target.name.padEnd(10)} ${result.rps.toFixed(0).padStart(10)} ${result.p50.toFixed(2).padStart(10)} ${result.p99.toFixed(2).padStart(9)} ${String(result.errors).padStart(8)}\n`,
      );
    }
  } finally {
    await pool.close();
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
