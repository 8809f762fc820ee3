/**
 * Soak: 10,000 jobs through a 3-node NATS cluster (streams at R3) while the node leading the
 * jobs stream and the model's consumer is killed with SIGKILL a third of the way in. Starts
 * its own cluster, redis-server and provider simulator, runs the pipeline in this process,
 * prints the figures and exits 1 when any job was lost, answered wrongly or served twice.
 *
 *   npm run test:soak            # or: npx tsx test/soak/cluster.soak.ts [jobs]
 */
import { runJobsThroughNodeKill, type NodeKillRun } from '../cluster/cluster-run.test-support';

const jobs = Number(process.argv[2] ?? 10_000);

function problems(run: NodeKillRun): string[] {
  const found: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) found.push(what);
  };
  check(run.failures.length === 0, `calls failed: ${run.failures.join('; ')}`);
  check(run.correctAnswers === jobs, `${run.correctAnswers} correct answers, not ${jobs}`);
  check(run.simRequests === jobs, `the provider was called ${run.simRequests} times, not ${jobs}`);
  check(run.usageEvents === jobs, `${run.usageEvents} usage events, not ${jobs}`);
  check(run.distinctUsageJobIds === jobs, `${run.distinctUsageJobIds} distinct job ids in usage`);
  check(run.jobsLeftInStream === 0, `${run.jobsLeftInStream} jobs left unacknowledged`);
  check(run.killed.ledStream, 'the killed node did not lead the jobs stream');
  return found;
}

async function main(): Promise<number> {
  process.stdout.write(`cluster soak: ${jobs} jobs, 3 nodes, R3, leader killed mid-run\n`);
  const run = await runJobsThroughNodeKill(jobs, {
    callTimeoutMs: 600_000,
    progress: (line) => process.stdout.write(`  ${line}\n`),
  });
  const found = problems(run);
  process.stdout.write(
    [
      `answered correctly:   ${run.correctAnswers}/${run.jobs}`,
      `killed:               ${run.killed.node} (led jobs stream: ${run.killed.ledStream}, led consumer: ${run.killed.ledConsumer}) after ${run.killed.atServed} served`,
      `simulator requests:   ${run.simRequests} (completed ${run.simCompleted})`,
      `usage events:         ${run.usageEvents} (${run.distinctUsageJobIds} distinct jobs, ${run.usageInvalid} invalid)`,
      `left in jobs stream:  ${run.jobsLeftInStream} (ack pending ${run.ackPending}, redelivered ${run.redelivered})`,
      `duration:             ${(run.durationMs / 1000).toFixed(1)} s (${(run.afterKillMs / 1000).toFixed(1)} s after the kill)`,
      found.length === 0 ? 'PASS' : `FAIL\n${found.map((p) => `  - ${p}`).join('\n')}`,
      '',
    ].join('\n'),
  );
  return found.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `cluster soak failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
