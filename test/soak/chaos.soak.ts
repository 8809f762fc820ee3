/**
 * Soak: the chaos run at full size — 10,000 jobs at 50 per second through a 3-node NATS
 * cluster, two worker processes, the fallback router, metering and the gateway, with kill -9 of
 * each service, of one NATS node and of Redis along the way (test/chaos/chaos-schedule.ts).
 * Prints lost / duplicated / billed counts; exits 1 on any broken promise.
 *
 *   npm run test:soak            # or: npx tsx test/soak/chaos.soak.ts [jobs] [per second]
 */
import { runChaos } from '../chaos/chaos-run.test-support';

const jobs = Number(process.argv[2] ?? 10_000);
const ratePerSecond = Number(process.argv[3] ?? 50);

async function main(): Promise<number> {
  process.stdout.write(`chaos soak: ${jobs} jobs at ${ratePerSecond}/s\n`);
  const run = await runChaos({
    jobs,
    ratePerSecond,
    progress: (line) => process.stdout.write(`  ${line}\n`),
  });
  process.stdout.write(
    [
      `faults:`,
      ...run.faults.map((fault) => `  ${fault}`),
      `answers:    ${run.results} results, ${run.streams} streams, ${run.streamCuts} stream_cut, ${run.finalErrors} final errors, of ${run.jobs}`,
      `lost:       ${run.lost} (no answer), ${run.httpCut} HTTP requests cut by the gateway's kill`,
      `billed:     ${run.billedEvents} usage events for ${run.providerCalls} provider calls; duplicated ${run.duplicated}; unbilled ${run.unbilledAtWorkerKill} (calls a killed worker had under way)`,
      `metering:   ${run.metered.requests} requests, ${run.metered.tokens} tokens (${run.meteringAgrees ? 'equal to' : 'DIFFERENT FROM'} the usage stream)`,
      `duration:   ${(run.durationMs / 1000).toFixed(1)} s`,
      run.problems.length === 0
        ? 'PASS'
        : `FAIL\n${run.problems.map((p) => `  - ${p}`).join('\n')}`,
      '',
    ].join('\n'),
  );
  return run.problems.length === 0 ? 0 : 1;
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
