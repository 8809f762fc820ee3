import { jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import { modelConsumerName, streamNames } from '@switchyard/contracts';
import { startNatsCluster } from '@switchyard/local-servers';
import { Switchyard } from '@switchyard/client';
import { connect } from '@nats-io/transport-node';
import { closeNats, connectNats } from '@switchyard/messaging';
import { startProviderSim } from '@switchyard/provider-sim';
import { startTestRedis } from '@switchyard/testing';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  quietLogger,
  startPipeline,
  waitUntil,
  type PipelineServers,
} from '../pipeline/pipeline-harness.test-support';
import { moveLeader } from './jetstream-leaders.test-support';
import { jobIdCounts, readUsageEvents, waitForUsage } from './usage-events.test-support';

/** What {@link runJobsThroughNodeKill} measured. */
export interface NodeKillRun {
  jobs: number;
  /** Answers the callers recovered from their answer records after their reconnect. */
  recovered: number;
  /** Calls that resolved with the simulator's expected answer. */
  correctAnswers: number;
  /** Calls that rejected, with their messages (first few). */
  failures: string[];
  /** The node killed, and whether it led the jobs stream and the model's consumer then. */
  killed: { node: string; ledStream: boolean; ledConsumer: boolean; atServed: number };
  simRequests: number;
  simCompleted: number;
  usageEvents: number;
  usageInvalid: number;
  distinctUsageJobIds: number;
  repeatedUsageJobIds: string[];
  /** Jobs still in the work-queue stream afterwards (unacknowledged: would be delivered again). */
  jobsLeftInStream: number;
  /** The consumer's deliveries awaiting an ack, and jobs delivered more than once. */
  ackPending: number;
  redelivered: number;
  /** From the first publish to the last answer. */
  durationMs: number;
  /** From the kill to the last answer. */
  afterKillMs: number;
}

/**
 * On a 3-node cluster with every stream at R3: moves the leadership of the jobs stream and of
 * the model's consumer to node n3, sends `jobs` completions from a client connected to n3 (the
 * workers are on n1 and n2), SIGKILLs n3 once all jobs are stored and a third are served, and
 * waits for every answer: answers published while the client reconnects are lost on core NATS
 * and recovered from their answer records. Then restarts n3 and reads the usage stream. With
 * `leaders: 'surviving'` the leaders are on n1 or n2 and the client knows n3 only: n3 is restarted
 * once 100 more jobs are served, all of whose answers the client missed. Starts
 * and stops its own servers.
 */
export async function runJobsThroughNodeKill(
  jobs: number,
  options: {
    callTimeoutMs: number;
    /**
     * Where the jobs stream and the model's consumer lead when the node dies: on it (a failover
     * of both), or on a surviving node (the workers answer on while the callers reconnect).
     * @defaultValue 'killed'
     */
    leaders?: 'killed' | 'surviving';
    progress?: (line: string) => void;
  },
): Promise<NodeKillRun> {
  const progress = options.progress ?? (() => undefined);
  const t0 = Date.now();
  const step = (what: string) => progress(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  const [cluster, redis, sim] = await Promise.all([
    startNatsCluster({ size: 3 }),
    startTestRedis(),
    startProviderSim({ port: 0 }),
  ]);
  const [n1, n2, victim] = cluster.nodes as [
    (typeof cluster.nodes)[number],
    (typeof cluster.nodes)[number],
    (typeof cluster.nodes)[number],
  ];
  const servers: PipelineServers = {
    nats: { url: `${n1.url},${n2.url}`, source: 'binary', stop: () => cluster.stop() },
    redis,
    sim,
    async stop() {
      await Promise.all([cluster.stop(), redis.stop(), sim.stop()]);
    },
  };
  step('cluster, redis and simulator up');
  const admin = await connectNats({
    servers: [n1.url, n2.url],
    name: 'cluster-admin',
    logger: quietLogger,
  });
  try {
    const install = createInstallation(servers, 'cluster', {
      models: { chat: 'openai' },
      replicas: 3,
      worker: '{ concurrency: 64, shutdown_grace_seconds: 1 }',
    });
    sim.setLatency({ ttftMs: 150, perTokenMs: 5 }, { deployment: install.simName('chat') });
    const expected = await directAnswer(servers, 'openai');
    const pipeline = await startPipeline(servers, install, ['openai'], {
      timeoutMs: options.callTimeoutMs,
    });
    try {
      const names = streamNames(install.prefix);
      const stream = { stream: names.jobs };
      const consumer = { stream: names.jobs, consumer: modelConsumerName('chat') };
      step('pipeline started');
      // Elections after a step-down need not reach every node in a few rounds (CI saw 8
      // rounds never elect n1): 'surviving' asks only that the leader be off the victim.
      const wanted =
        options.leaders === 'surviving'
          ? { describe: `other than ${victim.name}`, accepts: (l: string) => l !== victim.name }
          : { describe: `on ${victim.name}`, accepts: (l: string) => l === victim.name };
      step(`jobs stream leader: ${await moveLeader(admin, stream, wanted)}`);
      step(`consumer leader: ${await moveLeader(admin, consumer, wanted)}`);

      // The callers connect to the node that will die. With the leaders on it they learn the
      // other nodes from it and fail over; with the leaders elsewhere they know that node only
      // and stay disconnected until it is back, so the workers answer on while no caller
      // listens, a gap that does not depend on how fast a reconnect is.
      const surviving = options.leaders === 'surviving';
      const callerNc = surviving
        ? await connect({
            servers: victim.url,
            name: 'cluster-callers',
            ignoreClusterUpdates: true,
            maxReconnectAttempts: -1,
            reconnectTimeWait: 250,
          })
        : await connectNats({
            servers: [victim.url],
            name: 'cluster-callers',
            logger: quietLogger,
          });
      const callers = new Switchyard({
        nc: callerNc,
        subjectRoot: install.prefix,
        streamPrefix: install.prefix,
        timeoutMs: options.callTimeoutMs,
      });
      const started = Date.now();
      const failures: string[] = [];
      let correctAnswers = 0;
      const calls = Array.from({ length: jobs }, async () => {
        try {
          const result = await callers.chat.completions.create({
            model: 'chat',
            messages: questionMessages,
          });
          if (result.choices[0]?.message.content === expected) correctAnswers += 1;
          else failures.push(`unexpected answer ${JSON.stringify(result.choices[0]?.message)}`);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      });

      const jsm = await jetstreamManager(admin);
      const served = () => sim.stats().deployments[install.simName('chat')]?.completed ?? 0;
      await waitUntil(
        async () => (await jsm.streams.info(names.jobs)).state.last_seq >= jobs,
        60_000,
      );
      step('all jobs stored');
      await waitUntil(() => served() >= jobs / 3, 60_000);
      const [streamLeader, consumerLeader] = await Promise.all([
        jsm.streams.info(names.jobs).then((i) => i.cluster?.leader),
        jsm.consumers.info(names.jobs, consumer.consumer).then((i) => i.cluster?.leader),
      ]);
      const atServed = served();
      await victim.kill();
      const killedAt = Date.now();
      step(`killed ${victim.name} after ${atServed} served`);
      if (surviving) {
        await waitUntil(() => served() >= atServed + 100, 30_000);
        await victim.restart();
        step(`${victim.name} restarted after ${served()} served`);
      }
      await Promise.all(calls);
      step('all calls settled');
      const finished = Date.now();
      await closeNats(callerNc, { timeoutMs: 2_000 });

      // An R1 reader consumer may be placed on any replica's node: bring the killed node back
      // before reading the usage stream.
      if (!surviving) {
        await victim.restart();
        step(`${victim.name} restarted`);
      }
      await waitForUsage(admin, install.prefix, correctAnswers, 60_000).catch(() => undefined);
      await waitUntil(async () => allCurrent(await jsm.streams.info(names.usage)), 30_000);
      const usage = await readUsageEvents(admin, install.prefix);
      const ids = jobIdCounts(usage.events);
      // An ack sent to the killed leader is lost (acks are fire-and-forget): that job comes
      // back after the AckWait (30 s) and is answered from its record, with no provider call.
      await waitUntil(
        async () => (await jsm.streams.info(names.jobs)).state.messages === 0,
        45_000,
      ).catch(() => undefined);
      const left = (await jsm.streams.info(names.jobs)).state.messages;
      const consumerInfo = await jsm.consumers.info(names.jobs, consumer.consumer);
      const stats = sim.stats().deployments[install.simName('chat')];
      return {
        jobs,
        recovered: callers.context.replies.recovered,
        correctAnswers,
        failures: failures.slice(0, 5),
        killed: {
          node: victim.name,
          ledStream: streamLeader === victim.name,
          ledConsumer: consumerLeader === victim.name,
          atServed,
        },
        simRequests: stats?.requests ?? 0,
        simCompleted: stats?.completed ?? 0,
        usageEvents: usage.events.length,
        usageInvalid: usage.invalid,
        distinctUsageJobIds: ids.distinct,
        repeatedUsageJobIds: ids.repeated.slice(0, 5),
        jobsLeftInStream: left,
        ackPending: consumerInfo.num_ack_pending,
        redelivered: consumerInfo.num_redelivered,
        durationMs: finished - started,
        afterKillMs: finished - killedAt,
      };
    } finally {
      await pipeline.stop();
    }
  } finally {
    await closeNats(admin, { timeoutMs: 2_000 });
    await servers.stop();
  }
}

function allCurrent(info: StreamInfo): boolean {
  const replicas = info.cluster?.replicas ?? [];
  return replicas.length === 2 && replicas.every((r) => r.current && (r.lag ?? 0) === 0);
}
