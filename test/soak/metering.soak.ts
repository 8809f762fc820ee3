/**
 * Soak: the metering acceptance run at full size — 2,000 jobs over openai, anthropic and
 * gemini deployments with injected retryable faults and a fallback chain, a metering process
 * killed with SIGKILL mid-run and restarted. Exits 1 unless no job was lost and metering's
 * aggregates equal the simulator's own counts exactly (requests and tokens), per deployment,
 * and the cost equals the price table applied to them. Worker kills: test/soak/chaos.soak.ts.
 *
 *   npm run test:soak            # or: npx tsx test/soak/metering.soak.ts [jobs]
 */
import { startPipelineServers } from '../pipeline/pipeline-harness.test-support';
import { runExactUsage } from '../metering/exact-usage-run';

const jobs = Number(process.argv[2] ?? 2_000);

async function main(): Promise<number> {
  process.stdout.write(`metering soak: ${jobs} jobs, metering kill -9 mid-run\n`);
  const servers = await startPipelineServers();
  try {
    const run = await runExactUsage(servers, { jobs, label: 'soak-metering' });
    const rows = Object.keys(run.served)
      .sort()
      .map((id) => {
        const s = run.served[id];
        const m = run.metered[id];
        const pair = (a: unknown, b: unknown) => `${String(a)}/${String(b)}`;
        return `  ${id.padEnd(12)} requests ${pair(m?.requests, s?.requests)}  prompt ${pair(m?.prompt, s?.prompt)}  completion ${pair(m?.completion, s?.completion)}  cached ${pair(m?.cached, s?.cached)}  cost pUSD ${pair(m?.costPicos, s?.costPicos)}`;
      });
    process.stdout.write(
      [
        `answered:             ${run.answered} results, ${run.failed} final errors, ${run.lost} lost, of ${run.jobs}`,
        `simulator faults:     ${JSON.stringify(run.simFaults)}`,
        `metered/served:`,
        ...rows,
        `duration:             ${(run.durationMs / 1000).toFixed(1)} s`,
        run.problems.length === 0
          ? 'PASS'
          : `FAIL\n${run.problems.map((p) => `  - ${p}`).join('\n')}`,
        '',
      ].join('\n'),
    );
    return run.problems.length === 0 ? 0 : 1;
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
