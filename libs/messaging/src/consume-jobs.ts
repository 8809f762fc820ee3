import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  DEFAULT_TENANT,
  JobPriorities,
  modelConsumerName,
  streamNames,
  type JobPriority,
  subjects as defaultSubjects,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { TraceAttributes, inSpan, tracer, type Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';
import { createJobSettlement, type JobControl, type JobSettlement } from './job-control';
import { JobPulls, type PulledJob } from './job-pulls';
import { newJobSource, TenantSources, type JobSource } from './job-sources';
import {
  doorbellJobs,
  nextDoorbellSize,
  pullSize,
  tenantPullSize,
  type LaneState,
} from './lane-share';
import { readJobMessage, type ReadJobMessageResult } from './read-job-message';
import { serverSupports } from './server-version';
import { tenantConsumerIdleMs, TopologyDefaults } from './topology-plan';
import { sleep, Wakeup } from './wakeup';

/** One delivered job, as the handler sees it: the read message plus its delivery. */
export type JobDelivery = ReadJobMessageResult & {
  /** The logical model whose consumer delivered the job. */
  model: string;
  /** The lane whose consumer delivered the job. */
  priority: JobPriority;
  /** The consumer that delivered the job: the model's, or one of a tenant's lane. */
  consumer: string;
  /** 1-based: the JetStream delivery count (1 the first time, 2 after one nak or AckWait…). */
  attempt: number;
  /**
   * The job may have been delivered, and served, before: a redelivery (attempt > 1), or a first
   * delivery from a consumer that lost deliveries in a leader change (see
   * JobSource.highestFirstDelivery). The handler should look for the job's record before serving it.
   */
  deliveredBefore: boolean;
  /** The job's sequence in the jobs stream. */
  streamSequence: number;
  /** When the stream stored the job (epoch ms). */
  storedAtMs: number;
  /** How many more jobs wait in the consumer that delivered the job (its tenant's). */
  pending: number;
  /**
   * How often a handler of this consumer failed on this very message before (threw, or left
   * it unsettled): a handler should answer a job that keeps failing rather than let it come
   * back forever (see ConsumeJobsOptions.unsettledNakDelayMs for the backoff in between).
   */
  handlerFailures: number;
  /** Settle the job: ack, nak(delayMs), term, working(). */
  control: JobControl;
  /**
   * Aborted when the consumer's stop grace ran out: work on the job should stop, and the
   * handler may still settle it (answer it, ack it) within `handBackWaitMs`; after that the
   * consumer hands it back (nak) for another worker and later ack/nak calls do nothing.
   */
  signal: AbortSignal;
};

/**
 * Handles one delivered job. It should settle the job (ack, nak or term) before it returns;
 * if it returns unsettled or throws, the consumer naks the job after `unsettledNakDelayMs`.
 */
export type JobHandler = (delivery: JobDelivery) => Promise<void> | void;

/** Options of {@link consumeJobs}. */
export interface ConsumeJobsOptions {
  /** The logical model whose durable consumer to pull from. */
  model: string;
  /** How many jobs may be handled at once (at least 1); change it with setConcurrency. */
  concurrency: number;
  handler: JobHandler;
  /** The stream-name prefix the topology was provisioned with. @defaultValue none */
  streamPrefix?: string;
  /** The installation's subjects. @defaultValue the subjects under `llm` */
  subjects?: SwitchyardSubjects;
  /**
   * How long one pull waits for jobs before it is renewed (at least 1000). It bounds how long
   * pause() and stop() take to stop new jobs arriving. @defaultValue 5_000
   */
  pullExpiresMs?: number;
  /**
   * How often the stream is asked which tenants have jobs of the model waiting: the longest a
   * tenant's first batch job waits to be seen, and a new tenant's first interactive job (one
   * whose consumer no worker pulls from yet). @defaultValue 1_000
   */
  tenantScanMs?: number;
  /**
   * How often `working()` is sent while a handler runs, so AckWait never redelivers a live
   * job; 0 sends none. @defaultValue a third of the consumer's AckWait
   */
  progressIntervalMs?: number;
  /**
   * The delay of the nak for a job the handler threw on or left unsettled, the first time;
   * it doubles with each failure of the same message, up to 60 s. @defaultValue 1_000
   */
  unsettledNakDelayMs?: number;
  /**
   * After the stop grace ran out and the jobs' signals aborted, how long handlers may still
   * settle their jobs themselves before the rest are handed back. @defaultValue 2_000
   */
  handBackWaitMs?: number;
  /**
   * The inbox prefix the connection's NATS user may subscribe under: pulls are answered there.
   * @defaultValue `_INBOX`
   */
  inboxPrefix?: string;
  /** Begin paused (call resume() to start pulling). @defaultValue false */
  startPaused?: boolean;
  /**
   * How long LLM_ANSWERS keeps a job's record, as provisioned: tenants' consumers are kept
   * idle longer than that (see tenantConsumerIdleMs). @defaultValue TopologyDefaults' 1 day
   */
  answersMaxAgeMs?: number;
  logger?: Logger;
}

/** How a stop went. */
export interface StopSummary {
  /** Jobs settled during the stop: by their handler finishing, or settling once aborted. */
  finished: number;
  /** Jobs still running when the grace ran out, nak'd for another worker. */
  handedBack: number;
}

/** A running pull loop over one model's consumers: its own, and its tenants' lanes. */
export interface JobConsumer {
  readonly model: string;
  readonly stream: string;
  /** The model's consumer (the interactive lane of tenant `default`). */
  readonly consumerName: string;
  /** The tenants' consumers (interactive and batch) this loop pulls from, by name. */
  readonly tenantConsumerNames: readonly string[];
  /** Jobs being handled now. */
  readonly inFlight: number;
  readonly paused: boolean;
  readonly concurrency: number;
  /**
   * Stop pulling (a rate limit is reached, the deployments are cooling down), for `forMs` or
   * until resume(). Jobs being handled carry on. A pull already waiting at the server may
   * still deliver jobs for up to `pullExpiresMs` (a doorbell grown on a trickle of jobs, up to
   * 16 of them for a fifth of that); they reach the handler like any other.
   */
  pause(forMs?: number): void;
  /** Pull again after pause(). */
  resume(): void;
  /** Change how many jobs may be handled at once (at least 1). */
  setConcurrency(concurrency: number): void;
  /**
   * Stops gracefully: no new pulls; jobs being handled (and any a waiting pull still
   * delivers) may finish. After `graceMs` (no limit when omitted), the jobs still running are
   * handed back with a nak for another worker, and their `signal` aborts.
   */
  stop(options?: { graceMs?: number }): Promise<StopSummary>;
  /** Resolves when the loop has ended: after stop(), or when the connection closed. */
  readonly closed: Promise<void>;
}

interface InFlightJob {
  settlement: JobSettlement;
  abort: AbortController;
  done: Promise<void>;
}

const minPullExpiresMs = 1_000;
const maxRetryDelayMs = 10_000;
const maxUnsettledNakDelayMs = 60_000;
/** At most this many messages' handler failures are remembered; the oldest are forgotten. */
const maxRememberedFailures = 10_000;
/** A grace that never runs out. */
const never = new Promise<never>(() => undefined);

/**
 * Pulls jobs from a model's consumers and hands each to `handler`, at most `concurrency` at a
 * time across both priority lanes: interactive jobs first, with a share kept for batch jobs
 * while both wait (see pullSize). Each lane is a consumer per tenant (see TenantSources), pulled
 * in turns, each tenant with waiting jobs getting an equal part of every pull, so a tenant with
 * a deep backlog never starves another; tenant `default`'s interactive jobs are the model's own
 * consumer's (provisioned by provisionTopology), and its batch lane's consumer is made at
 * start. While a free slot remains, every consumer this worker knows that is known to hold
 * nothing keeps a pull open (its doorbell), so a job is taken the moment it arrives; another
 * tenant's first jobs, and jobs that arrive on a busy worker, are found by the stream scan
 * every `tenantScanMs`. It pulls only as many jobs as it has free slots, so a job never waits
 * in this process while another worker is free, and it never pulls while paused or stopping.
 * Each message is read at the boundary (see readJobMessage): the handler gets the job or the
 * `invalid_job` error, with the reply subject and the trace context either way. Pull failures
 * (server restarting, consumer being re-created) are logged and retried with backoff.
 *
 * Throws when the model's consumer does not exist.
 */
export async function consumeJobs(
  nc: NatsConnection,
  options: ConsumeJobsOptions,
): Promise<JobConsumer> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const stream = streamNames(options.streamPrefix).jobs;
  const subjects = options.subjects ?? defaultSubjects;
  const name = modelConsumerName(options.model);
  const info = await (await js.consumers.get(stream, name)).info(true);
  const logger = loggerOrDefault(options.logger);
  const tenantsOf = (priority: JobPriority, own?: JobSource) =>
    new TenantSources({
      jsm,
      stream,
      model: options.model,
      priority,
      subjects,
      modelConsumer: info.config,
      idleMs: tenantConsumerIdleMs(options.answersMaxAgeMs ?? TopologyDefaults.answersMaxAgeMs),
      filterUpdates: serverSupports(nc, 'consumerFilterUpdate'),
      ...(own === undefined ? {} : { own }),
      logger,
    });
  const interactive = tenantsOf('interactive', newJobSource(name, DEFAULT_TENANT, true));
  const batch = tenantsOf('batch');
  try {
    await interactive.adoptExisting();
  } catch (error) {
    logger.warn({ err: error }, "listing the tenants' consumers failed; the scan finds them");
  }
  // Tenant `default` (every job of an installation without tenants) has its interactive lane
  // provisioned; its batch lane's consumer is made here, so a batch's first jobs are taken at
  // once by the pull kept open on it instead of waiting for the scan.
  await batch.expect(DEFAULT_TENANT);
  const pulls = new JobPulls(nc, stream, {
    inboxPrefix: options.inboxPrefix ?? '_INBOX',
    logger,
  });
  const loop = new JobPullLoop(
    nc,
    pulls,
    { interactive: new Lane('interactive', interactive), batch: new Lane('batch', batch) },
    {
      ...options,
      subjects,
      stream,
      consumerName: name,
      ackWaitMs: Math.floor((info.config.ack_wait ?? 30e9) / 1e6),
    },
  );
  loop.start();
  return loop;
}

type LoopOptions = ConsumeJobsOptions & {
  subjects: SwitchyardSubjects;
  stream: string;
  consumerName: string;
  ackWaitMs: number;
};

/** One priority lane of a model: the consumers it pulls from and what the loop knows of it. */
class Lane implements LaneState {
  inFlight = 0;
  claimed = 0;
  /** Doorbells open on the lane's consumers, each holding one slot outside the lanes' count. */
  doorbells = 0;
  private turn = 0;

  constructor(
    readonly priority: JobPriority,
    readonly tenants: TenantSources,
  ) {}

  get sources(): readonly JobSource[] {
    return this.tenants.sources;
  }

  /** Jobs known to wait in all the lane's consumers. */
  get backlog(): number {
    return this.sources.reduce((sum, source) => sum + source.backlog, 0);
  }

  /** The lane's consumers with no pull open (a doorbell that waits for a slot). */
  get withoutPull(): number {
    return this.sources.reduce((sum, source) => sum + (source.openPulls === 0 ? 1 : 0), 0);
  }

  /**
   * Where the next pull of the lane's `size` jobs goes, and how many of them: the next
   * consumer in turn with jobs known to wait, for an equal part (see tenantPullSize).
   */
  nextPull(size: number): { source: JobSource; size: number } | null {
    // A consumer has one pull open at a time (see JobPulls): one whose doorbell is open waits.
    const waiting = this.sources.filter((source) => source.backlog > 0 && source.openPulls === 0);
    const source = waiting[this.turn++ % Math.max(1, waiting.length)];
    if (source === undefined) return null;
    return { source, size: tenantPullSize(size, waiting.length, source.backlog) };
  }
}

/** A tenant's pull waits this long at most: its jobs may all be taken by other workers. */
const tenantPullExpiresMs = 1_000;

class JobPullLoop implements JobConsumer {
  readonly model: string;
  readonly stream: string;
  readonly consumerName: string;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  private readonly subjects: SwitchyardSubjects;
  /** The attributes every `process` span of this consumer has (computed once, not per job). */
  private readonly spanAttributes: Attributes;
  private readonly pullExpiresMs: number;
  private readonly tenantScanMs: number;
  private readonly progressIntervalMs: number;
  private readonly unsettledNakDelayMs: number;
  private readonly handBackWaitMs: number;
  private readonly termWithReason: boolean;
  /** Handler failures by stream sequence, for messages that failed and came back. */
  private readonly failuresBySeq = new Map<number, number>();
  private readonly log: Logger;
  private limit: number;
  private isPaused: boolean;
  private pauseTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly stopSignal = new AbortController();
  private readonly jobs = new Set<InFlightJob>();
  /** The stream sequences of the jobs being handled in this process. */
  private readonly inFlightSequences = new Set<number>();
  private readonly changed = new Wakeup();
  /** The consumers with a doorbell loop running. */
  private readonly withDoorbell = new Set<JobSource>();
  private loops: Promise<void>[] = [];
  private finishedSinceStop = 0;
  private graceOver = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly pulls: JobPulls,
    private readonly lanes: Readonly<Record<JobPriority, Lane>>,
    private readonly options: LoopOptions,
  ) {
    this.model = options.model;
    this.stream = options.stream;
    this.consumerName = options.consumerName;
    this.subjects = options.subjects;
    this.spanAttributes = consumerAttributes(this.model, this.consumerName, this.subjects);
    this.limit = checkConcurrency(options.concurrency);
    this.isPaused = options.startPaused ?? false;
    this.pullExpiresMs = Math.max(minPullExpiresMs, options.pullExpiresMs ?? 5_000);
    this.tenantScanMs = Math.max(50, options.tenantScanMs ?? 1_000);
    this.progressIntervalMs =
      options.progressIntervalMs ?? Math.max(250, Math.floor(options.ackWaitMs / 3));
    this.unsettledNakDelayMs = options.unsettledNakDelayMs ?? 1_000;
    this.handBackWaitMs = options.handBackWaitMs ?? 2_000;
    this.termWithReason = serverSupports(nc, 'termReason');
    this.log = loggerOrDefault(options.logger).child({
      stream: this.stream,
      consumer: this.consumerName,
    });
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get tenantConsumerNames(): readonly string[] {
    return JobPriorities.flatMap((priority) =>
      this.lanes[priority].sources.filter((source) => !source.own).map((source) => source.name),
    );
  }

  get inFlight(): number {
    return this.jobs.size;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  get concurrency(): number {
    return this.limit;
  }

  start(): void {
    const main = [
      ...JobPriorities.map((priority) =>
        this.run(this.lanes[priority]).catch((error: unknown) => {
          this.log.error({ err: error, priority }, 'job pull loop failed');
        }),
      ),
      this.scanTenants(),
    ];
    this.loops = [...main];
    // The loops end by themselves when the connection closes.
    void Promise.all(main).then(() => {
      if (!this.stopping) this.end();
    });
    this.startDoorbells();
  }

  pause(forMs?: number): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.isPaused = true;
    if (forMs !== undefined) {
      this.pauseTimer = setTimeout(() => this.resume(), Math.max(0, forMs));
      this.pauseTimer.unref();
    }
  }

  resume(): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    this.isPaused = false;
    this.changed.notify();
  }

  setConcurrency(concurrency: number): void {
    this.limit = checkConcurrency(concurrency);
    this.changed.notify();
  }

  async stop({ graceMs }: { graceMs?: number } = {}): Promise<StopSummary> {
    if (!this.stopping) {
      this.stopping = true;
      this.finishedSinceStop = 0;
      clearTimeout(this.pauseTimer);
      this.stopSignal.abort();
      this.changed.notify();
    }
    const loopsDone = () => Promise.all(this.loops).then(() => undefined);
    const graceOver = graceMs === undefined ? never : delayed(Math.max(0, graceMs));
    const allFinished = loopsDone().then(() => this.allJobsDone());
    const outcome = await Promise.race([
      allFinished.then(() => 'finished' as const),
      graceOver.then(() => 'grace over' as const),
    ]);
    let handedBack = 0;
    if (outcome === 'grace over') {
      this.pulls.closeAll();
      await loopsDone();
      const running = [...this.jobs];
      this.graceOver = true;
      for (const job of running) {
        job.abort.abort(new Error('the consumer stopped: the job is being handed back'));
      }
      // Handlers may still settle what they know how to end (a stream already under way is
      // answered `stream_cut`, never restarted elsewhere); the rest go back to the stream.
      await Promise.race([
        Promise.all(running.map((job) => job.done)),
        delayed(this.handBackWaitMs),
      ]);
      for (const job of running) {
        if (job.settlement.handBack()) handedBack += 1;
        else this.finishedSinceStop += 1;
      }
    }
    this.end();
    return { finished: this.finishedSinceStop, handedBack };
  }

  /** The loop has ended: no pull is open any more. */
  private end(): void {
    if (!this.nc.isClosed()) this.pulls.close();
    this.resolveClosed();
  }

  /** Resolves when no job is in flight, including jobs that arrive while waiting. */
  private async allJobsDone(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all([...this.jobs].map((job) => job.done));
  }

  private get running(): boolean {
    return !this.stopping && !this.nc.isClosed() && !this.nc.isDraining();
  }

  /** Asks the stream which tenants have jobs waiting in each lane, every tenantScanMs while running. */
  private async scanTenants(): Promise<void> {
    let failing = false;
    while (this.running) {
      try {
        let changed = false;
        for (const priority of JobPriorities) {
          if (await this.lanes[priority].tenants.refresh()) changed = true;
        }
        this.startDoorbells();
        if (changed) this.changed.notify();
        failing = false;
      } catch (error) {
        if (!this.running) break;
        if (!failing) this.log.warn({ err: error }, 'reading the jobs waiting failed; retrying');
        failing = true;
      }
      await sleep(this.tenantScanMs, this.stopSignal.signal);
    }
  }

  /** Where the lane pulls next and how many; null to wait. */
  private nextPull(lane: Lane): { source: JobSource; size: number } | null {
    if (this.isPaused) return null;
    const size = pullSize(lane.priority, this.limit, this.lanes);
    return size === 0 ? null : lane.nextPull(size);
  }

  /**
   * Whether a consumer's doorbell may open now. Every waiting doorbell asks at every change (each
   * job that ends), so the cheap checks come first and the lanes' backlogs (a sum over their
   * consumers) last.
   */
  private mayRing(lane: Lane, source: JobSource): boolean {
    if (this.isPaused || source.openPulls > 0) return false;
    const interactive = this.lanes.interactive;
    if (lane === interactive) {
      // With every slot taken (by batch jobs), the model's own consumer still keeps one open, so
      // that an interactive job of tenant `default` starts at once (one job beyond the limit).
      const outsideBudget = source.own && lane.inFlight === 0 && lane.doorbells === 0;
      return (this.freeSlotsFor(lane) > 0 || outsideBudget) && lane.backlog === 0;
    }
    // Batch takes only what interactive jobs leave: nothing while they wait, and no slot that an
    // interactive consumer's doorbell waits for.
    const free = this.freeSlotsFor(lane);
    if (free <= 0 || lane.backlog > 0 || interactive.backlog > 0) return false;
    return free > interactive.withoutPull;
  }

  /**
   * The slots a doorbell of `lane` may take: those neither handling a job nor claimed by a
   * pull, less the slots held by doorbells, the batch lane's not counted for an interactive
   * doorbell (interactive first: a batch doorbell never keeps one from opening; when jobs arrive
   * on both at once, the worker runs up to one job per batch doorbell beyond its concurrency).
   */
  private freeSlotsFor(lane: Lane): number {
    const { interactive, batch } = this.lanes;
    const doorbells = interactive.doorbells + (lane === batch ? batch.doorbells : 0);
    return this.limit - this.jobs.size - interactive.claimed - batch.claimed - doorbells;
  }

  /** Starts the doorbell of each consumer that has none. */
  private startDoorbells(): void {
    for (const priority of JobPriorities) {
      const lane = this.lanes[priority];
      for (const source of lane.sources) {
        if (this.withDoorbell.has(source) || !this.running) continue;
        this.withDoorbell.add(source);
        const loop = this.ringDoorbell(lane, source)
          .catch((error: unknown) =>
            this.log.error({ err: error, consumer: source.name }, 'doorbell loop failed'),
          )
          .finally(() => this.withDoorbell.delete(source));
        this.loops.push(loop);
      }
    }
  }

  /**
   * Keeps a pull open on a consumer while nothing is known to wait in its lane (for a batch
   * consumer, in either lane), no other pull is open on the consumer and a slot is free: its
   * next job is taken the moment it arrives, and that job's pending count tells the lane what
   * else waits (so a batch runner's next lines, sent as answers come back, start at once). A
   * doorbell asks for one job, or for more on an interactive consumer whose last doorbell was
   * filled (see doorbellJobs), so a steady trickle of jobs does not cost a pull request each.
   * Doorbells open only on free slots (an interactive one not counting those batch doorbells
   * hold, and the model's own consumer's even on none, see mayRing); the lane's pulls count all
   * a doorbell's slots but one: when jobs arrive on several doorbells at once after the lane's
   * pulls took the other slots, the worker runs that many jobs beyond its concurrency (at most
   * one per doorbell). While the lane has jobs waiting, no doorbell opens: a tenant whose jobs
   * arrive then is found by the scan. An open doorbell counts as a pull for the server, so a
   * known tenant's consumer is not removed as idle while a worker runs. Ends when the consumer
   * is forgotten (gone) or the loop stops.
   */
  private async ringDoorbell(lane: Lane, source: JobSource): Promise<void> {
    let failures = 0;
    while (this.running && lane.sources.includes(source)) {
      if (!this.mayRing(lane, source)) {
        await this.changed.wait();
        continue;
      }
      const size = doorbellJobs(lane.priority, source.doorbellSize, this.freeSlotsFor(lane));
      // A grown doorbell expires sooner (a fifth of the pull expiry, at least 1 s): that bounds
      // how long its slots stay claimed once the trickle stops, and how many jobs it may still
      // take after a pause (see pause()).
      const expires =
        size === 1
          ? this.pullExpiresMs
          : Math.max(minPullExpiresMs, Math.floor(this.pullExpiresMs / 5));
      lane.doorbells += 1;
      try {
        // One slot is the doorbell's own, outside the lanes' count (see mayRing); the lane
        // claims the others like a pull's.
        const delivered = await this.pull(lane, source, size, expires, size - 1);
        source.doorbellSize = nextDoorbellSize(size, delivered);
        failures = 0;
      } catch (error) {
        source.doorbellSize = 1;
        if (!this.running) break;
        failures = await this.afterPullFailure(lane, source, error, failures);
      } finally {
        lane.doorbells -= 1;
        this.changed.notify();
      }
    }
  }

  private async run(lane: Lane): Promise<void> {
    let failures = 0;
    while (this.running) {
      const next = this.nextPull(lane);
      if (next === null) {
        await this.changed.wait();
        continue;
      }
      const { source, size } = next;
      try {
        const expires = source.own ? this.pullExpiresMs : tenantPullExpiresMs;
        const delivered = await this.pull(lane, source, size, expires, size);
        if (delivered < size) source.backlog = 0;
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        failures = await this.afterPullFailure(lane, source, error, failures);
      } finally {
        this.changed.notify();
      }
    }
  }

  /**
   * One pull of up to `size` jobs from a consumer, each handed to the handler as it arrives;
   * resolves how many came. Throws what the pull throws. `claim` of its slots are claimed by
   * the lane until their jobs arrive (each then counts as in flight) or the pull ends.
   */
  private async pull(
    lane: Lane,
    source: JobSource,
    size: number,
    expires: number,
    claim: number,
  ): Promise<number> {
    let claimed = claim;
    lane.claimed += claimed;
    source.openPulls += 1;
    try {
      const pull = this.pulls.pull(source.name, size, expires, (job) => {
        if (claimed > 0) {
          claimed -= 1;
          lane.claimed -= 1;
        }
        source.backlog = job.info.pending;
        this.accept(lane, source, job);
      });
      return await pull.done;
    } finally {
      lane.claimed -= claimed;
      source.openPulls -= 1;
    }
  }

  /** Logs a failed pull and waits out its backoff; resolves the failures so far. */
  private async afterPullFailure(
    lane: Lane,
    source: JobSource,
    error: unknown,
    failuresBefore: number,
  ): Promise<number> {
    // A tenant's consumer may be gone (removed while idle): the next scan makes it again.
    if (!source.own) lane.tenants.forget(source);
    const failures = failuresBefore + 1;
    const retryMs = Math.min(maxRetryDelayMs, 250 * 2 ** Math.min(failures, 6));
    this.log.warn(
      { err: error, retryMs, priority: lane.priority, consumer: source.name },
      'pulling jobs failed; retrying',
    );
    await sleep(retryMs, this.stopSignal.signal);
    return failures;
  }

  private accept(lane: Lane, source: JobSource, msg: PulledJob): void {
    const seq = msg.info.streamSequence;
    if (this.inFlightSequences.has(seq)) {
      // Its consumer lost the first delivery in a leader change; that delivery's ack, nak or
      // term settles the message (the server matches them by stream sequence).
      this.log.warn(
        { seq, consumer: source.name },
        'job delivered again while this worker handles it: left to the first delivery',
      );
      return;
    }
    const attempt = msg.info.deliveryCount;
    const deliveredBefore = attempt > 1 || seq <= source.highestFirstDelivery;
    if (attempt === 1) source.highestFirstDelivery = Math.max(source.highestFirstDelivery, seq);
    const settlement = createJobSettlement(msg, {
      termWithReason: this.termWithReason,
      progressIntervalMs: this.progressIntervalMs,
    });
    const abort = new AbortController();
    const delivery: JobDelivery = {
      ...readJobMessage(msg, this.subjects),
      model: this.model,
      priority: lane.priority,
      consumer: source.name,
      attempt,
      deliveredBefore,
      streamSequence: seq,
      storedAtMs: Math.floor(msg.info.timestampNanos / 1e6),
      pending: msg.info.pending,
      handlerFailures: this.failuresBySeq.get(seq) ?? 0,
      control: settlement.control,
      signal: abort.signal,
    };
    const job: InFlightJob = { settlement, abort, done: Promise.resolve() };
    lane.inFlight += 1;
    source.inFlight += 1;
    this.inFlightSequences.add(seq);
    job.done = this.handle(delivery, settlement).finally(() => {
      lane.inFlight -= 1;
      source.inFlight -= 1;
      this.inFlightSequences.delete(seq);
      if (this.jobs.delete(job) && this.stopping && !this.graceOver) this.finishedSinceStop += 1;
      this.changed.notify();
    });
    this.jobs.add(job);
  }

  private async handle(delivery: JobDelivery, settlement: JobSettlement): Promise<void> {
    const context = { seq: delivery.streamSequence, attempt: delivery.attempt };
    try {
      await inSpan(
        consumerTracer,
        `process ${this.model}`,
        { kind: SpanKind.CONSUMER },
        delivery.traceContext,
        (span) => {
          // Built only for a span that is recorded: with tracing off (the default), every job
          // would otherwise spread the consumer's attributes into an object nobody reads.
          if (span.isRecording()) {
            span.setAttributes(processAttributes(delivery, this.spanAttributes));
          }
          return Promise.resolve(this.options.handler(delivery));
        },
      );
    } catch (error) {
      this.log.error({ ...context, err: error }, 'job handler threw');
    }
    const seq = delivery.streamSequence;
    if (delivery.signal.aborted) return;
    const failures = delivery.handlerFailures + 1;
    const nakDelayMs = Math.min(
      maxUnsettledNakDelayMs,
      this.unsettledNakDelayMs * 2 ** (failures - 1),
    );
    if (settlement.handBack(nakDelayMs)) {
      this.rememberFailure(seq, failures);
      this.log.warn(
        { ...context, nakDelayMs, handlerFailures: failures },
        'job handler failed or left the job unsettled; nak sent with backoff',
      );
    } else {
      this.failuresBySeq.delete(seq);
    }
  }

  private rememberFailure(seq: number, failures: number): void {
    this.failuresBySeq.delete(seq);
    this.failuresBySeq.set(seq, failures);
    if (this.failuresBySeq.size <= maxRememberedFailures) return;
    const oldest = this.failuresBySeq.keys().next();
    if (oldest.done !== true) this.failuresBySeq.delete(oldest.value);
  }
}

const consumerTracer = tracer('switchyard.messaging');

/**
 * The attributes every `process` span of one model's consumer shares, as OpenTelemetry's
 * messaging conventions name them.
 */
function consumerAttributes(
  model: string,
  consumerName: string,
  subjects: SwitchyardSubjects,
): Attributes {
  return {
    [TraceAttributes.messagingSystem]: 'nats',
    [TraceAttributes.messagingOperationType]: 'process',
    [TraceAttributes.messagingOperationName]: 'process',
    [TraceAttributes.messagingDestination]: subjects.jobsForModel(model),
    [TraceAttributes.messagingConsumerGroup]: consumerName,
    [TraceAttributes.logicalModel]: model,
  };
}

/**
 * The attributes of a job's `process` span: the consumer's, plus Switchyard's job, tenant,
 * attempt and hop. The span's parent is the producer's span (the trace context in the job's
 * headers), so one trace runs from the producer through every redelivery and fallback hop.
 */
function processAttributes(delivery: JobDelivery, consumer: Attributes): Attributes {
  return {
    ...consumer,
    [TraceAttributes.attempt]: delivery.attempt,
    ...(delivery.ok
      ? {
          [TraceAttributes.messagingMessageId]: delivery.job.id,
          [TraceAttributes.jobId]: delivery.job.id,
          [TraceAttributes.tenant]: delivery.job.tenant,
          [TraceAttributes.fallbackDepth]: delivery.job.route.length,
        }
      : {}),
  };
}

function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer of at least 1, got ${concurrency}`);
  }
  return concurrency;
}

function delayed(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
