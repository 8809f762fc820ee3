import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { querySpend, Switchyard, SwitchyardError } from '@switchyard/client';
import { createSubjects } from '@switchyard/contracts';
import { startMetering } from '@switchyard/metering';
import { closeNats, connectNats } from '@switchyard/messaging';
import { Redis } from 'ioredis';
import {
  createInstallation,
  quietLogger,
  startPipeline,
  waitUntil,
  type PipelineServers,
} from '../pipeline/pipeline-harness.test-support';
import { sameTallies, servedTallies, tallyOf, type DeploymentTally } from './exact-usage-tally';
import { spawnService, type ServiceProcess } from '../processes/service-process.test-support';

/** Options of {@link runExactUsage}. */
export interface ExactUsageOptions {
  jobs: number;
  label: string;
  /** Jobs in flight at once. @defaultValue 64 */
  concurrency?: number;
}

/** The outcome of one run. */
export interface ExactUsageRun {
  jobs: number;
  answered: number;
  /** Callers answered with a final error of the service (a fault that outlasted its retries). */
  failed: number;
  /** Callers that got no answer at all (their wait timed out, or the call broke): lost jobs. */
  lost: number;
  durationMs: number;
  metered: Record<string, DeploymentTally>;
  served: Record<string, DeploymentTally>;
  simFaults: Partial<Record<string, number>>;
  meteringApplied: number;
  /**
   * Usage events of calls the worker ended without the provider's count (a provider timeout,
   * billed with no tokens, or an aborted call, billed with an estimate): the simulator counts
   * what it served for them, so the totals cannot agree.
   */
  unknownUsage: number;
  problems: string[];
}

/** A prefix long enough (1,200 tokens) for the simulated prompt caches to report cached tokens. */
const longPrefix = `${'the quick brown fox jumps over the lazy dog '.repeat(134)}\n`;
const baseFaults = [
  { provider: 'openai', model: 'gpt-4o-mini', fault: 'overloaded', probability: 0.08 },
  { provider: 'anthropic', fault: 'rate_limit; retry_after=0', probability: 0.05 },
  { provider: 'gemini', fault: 'server_error', probability: 0.05 },
];

/**
 * Runs `jobs` jobs over three providers with injected retryable faults and a fallback chain
 * (`flaky` → `summarize`), one metering replica in this process and one as a process that is
 * killed with SIGKILL a third of the way in and started again, every setting the production
 * default (AckWait 30 s for the jobs and for metering). Then compares metering's aggregates with
 * the simulator's own count, per deployment — requests, tokens, cached tokens — and the cost with
 * the price table applied to it. (Worker kills, with each provider call attributed, are the
 * chaos run's: test/chaos.)
 */
export async function runExactUsage(
  servers: PipelineServers,
  options: ExactUsageOptions,
): Promise<ExactUsageRun> {
  // A call the worker times out is billed without the provider's count (see unknownUsage); no
  // simulated call takes seconds, so this bounds only a call that hangs on a starved machine.
  const timeout = 'timeout: 30';
  const install = createInstallation(servers, options.label, {
    models: {
      triage: [
        { provider: 'openai', params: timeout },
        { provider: 'anthropic', params: timeout },
      ],
      summarize: [{ provider: 'gemini', params: timeout }],
      flaky: [
        {
          provider: 'openai',
          params: `${timeout}, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002`,
        },
      ],
    },
    router:
      '{ num_retries: 2, allowed_fails: 100000, cooldown_time: 1, fallbacks: [{ flaky: [summarize] }] }',
    worker: '{ concurrency: 32, shutdown_grace_seconds: 1 }',
  });
  const flakySim = install.simName('flaky');
  servers.sim.setFaults([
    { deployment: flakySim, fault: 'server_error', probability: 0.5 },
    ...baseFaults,
  ]);
  const configPath = join(mkdtempSync(join(tmpdir(), 'sy-metering-')), 'config.yaml');
  writeFileSync(configPath, install.yaml);
  const meteringArgs = ['--config', configPath];
  let applied = 0;
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    const meteringNc = await connectNats({
      servers: install.config.switchyard.nats.servers,
      name: 'exact-usage-metering',
      logger: quietLogger,
    });
    cleanup.push(() => closeNats(meteringNc));
    const meteringRedis = new Redis(servers.redis.url);
    cleanup.push(() => meteringRedis.disconnect());
    const inProcess = await startMetering({
      config: install.config,
      nc: meteringNc,
      redis: meteringRedis,
      logger: quietLogger,
      onSettled: (outcomes) => (applied += outcomes.filter((o) => o === 'applied').length),
    });
    cleanup.push(() => inProcess.stop());
    let meteringProcess: ServiceProcess = await spawnService(
      'metering',
      meteringArgs,
      'metering started',
    );
    cleanup.push(() => meteringProcess.stop());
    const pipeline = await startPipeline(servers, install, ['openai', 'anthropic', 'gemini'], {
      timeoutMs: 120_000,
    });
    cleanup.push(() => pipeline.stop());
    const subjects = createSubjects(install.prefix);
    let unknownUsage = 0;
    const usage = pipeline.nc.subscribe(subjects.streamSubjects.usage, {
      callback: (_error, msg) => {
        const event = msg.json<{ error_type?: string; estimated?: true }>();
        if (event.error_type === 'timeout' || event.estimated === true) unknownUsage += 1;
      },
    });
    cleanup.push(() => usage.unsubscribe());
    const clients = ['default', 'acme', 'beta'].map(
      (tenant) =>
        new Switchyard({
          nc: pipeline.nc,
          tenant,
          subjectRoot: install.prefix,
          streamPrefix: install.prefix,
          timeoutMs: 120_000,
        }),
    );
    const models = ['triage', 'triage', 'summarize', 'flaky'];
    const started = Date.now();
    let answered = 0;
    let failed = 0;
    let lost = 0;
    let next = 0;
    let killed = false;
    const killAt = Math.floor(options.jobs / 3);

    const crash = async () => {
      killed = true;
      await meteringProcess.kill9();
      await new Promise((resolve) => setTimeout(resolve, 500));
      meteringProcess = await spawnService('metering', meteringArgs, 'metering started');
    };

    const runOne = async (i: number) => {
      const client = clients[i % clients.length] as Switchyard;
      try {
        await client.chat.completions.create({
          model: models[i % models.length] as string,
          messages: [
            ...(i % 10 === 0 ? [{ role: 'system' as const, content: longPrefix }] : []),
            {
              role: 'user',
              content: `Job ${i}: where is the ${'blue '.repeat(i % 13)}train going?`,
            },
          ],
          switchyard: { tags: [`batch-${i % 4}`] },
        });
        answered += 1;
      } catch (error) {
        // A final error of the service is an answer; no answer (a timeout) is a lost job.
        if (error instanceof SwitchyardError && error.code !== 'client_timeout') failed += 1;
        else lost += 1;
      }
    };
    let crashing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: options.concurrency ?? 64 }, async () => {
        while (next < options.jobs) {
          const i = next++;
          if (!killed && i >= killAt) crashing = crash();
          await runOne(i);
        }
      }),
    );
    await crashing;
    const durationMs = Date.now() - started;

    const stats = servers.sim.stats();
    const served = servedTallies(install, stats);
    const compare = { compareRequests: true };
    let metered: Record<string, DeploymentTally> = {};
    await waitUntil(async () => {
      const answer = await querySpend(pipeline.nc, subjects, {
        by: 'deployment',
        since: started - 3_600_000,
        until: Date.now() + 3_600_000,
      });
      metered = Object.fromEntries(answer.rows.map((row) => [row.key, tallyOf(row)]));
      return sameTallies(metered, served, compare);
    }, 90_000).catch(() => undefined);

    const problems: string[] = [];
    if (lost > 0 || answered + failed !== options.jobs)
      problems.push(`${answered + failed} of ${options.jobs} callers answered, ${lost} lost`);
    if (!sameTallies(metered, served, compare))
      problems.push('metering and the simulator disagree (see metered / served)');
    if (unknownUsage > 0)
      problems.push(
        `${unknownUsage} calls ended without the provider's usage (timed out or aborted): the machine was too slow for this run`,
      );
    if (!meteringProcess.output().includes('metering started'))
      problems.push('the restarted metering process never started');

    return {
      jobs: options.jobs,
      answered,
      failed,
      lost,
      durationMs,
      metered,
      served,
      simFaults: stats.total.faults,
      meteringApplied: applied,
      unknownUsage,
      problems,
    };
  } finally {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
  }
}
