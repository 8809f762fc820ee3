/**
 * Soak: 500 jobs against one deployment with `rpm: 120` (about 4 minutes). Starts its own
 * nats-server, redis-server and provider simulator, runs the whole pipeline in this process,
 * prints a plain summary and exits 1 when any check failed.
 *
 *   npm run test:soak            # or: npx tsx test/soak/rate-limit.soak.ts [jobs] [rpm]
 */
import { startPipelineServers } from '../pipeline/pipeline-harness.test-support';
import { maxInWindow, rateLimitProblems, runRateLimitedJobs } from '../pipeline/rate-limit-run';

const jobs = Number(process.argv[2] ?? 500);
const rpm = Number(process.argv[3] ?? 120);

async function main(): Promise<number> {
  process.stdout.write(
    `rate-limit soak: ${jobs} jobs at rpm ${rpm} (about ${Math.ceil(jobs / rpm) - 1} min)\n`,
  );
  const servers = await startPipelineServers();
  try {
    const run = await runRateLimitedJobs(servers, { rpm, jobs, label: 'soak-rpm' });
    const problems = rateLimitProblems(run);
    const perMinute = Array.from(
      { length: Math.ceil(jobs / rpm) + 1 },
      (_, minute) =>
        run.callAtMs.filter((at) => at >= minute * 60_000 && at < (minute + 1) * 60_000).length,
    );
    process.stdout.write(
      [
        `completed:            ${run.completed}/${run.jobs}`,
        `simulator requests:   ${run.simRequests}`,
        `simulator faults:     ${JSON.stringify(run.simFaults)}`,
        `calls per minute:     ${perMinute.join(', ')}`,
        `most in any minute:   ${maxInWindow(run.callAtMs, 59_000)} (limit ${rpm})`,
        `duration:             ${(run.durationMs / 1000).toFixed(1)} s`,
        problems.length === 0 ? 'PASS' : `FAIL\n${problems.map((p) => `  - ${p}`).join('\n')}`,
        '',
      ].join('\n'),
    );
    return problems.length === 0 ? 0 : 1;
  } finally {
    await servers.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
