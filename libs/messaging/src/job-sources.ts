import type { ConsumerConfig, JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import {
  tenantConsumerName,
  type JobPriority,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import { ensureConsumer } from './ensure-consumer';
import { describeError } from './jetstream-api-errors';
import { tenantConsumerConfig } from './topology-plan';

/** One consumer a lane pulls from, and what the pull loop knows of it. */
export interface JobSource {
  readonly name: string;
  /** The tenant whose jobs the consumer holds (`default` for the model's own consumer). */
  readonly tenant: string;
  /** The model's own consumer (made by provisioning, never forgotten), not a tenant's. */
  readonly own: boolean;
  /**
   * Jobs known to wait: the last delivery's pending count, 0 once a pull came back short; for
   * a tenant's consumer also what the stream holds for it (less what this process is
   * handling) when nothing else is known.
   */
  backlog: number;
  /** Jobs from this consumer being handled in this process. */
  inFlight: number;
  /** Pulls open on this consumer now (the lane's, or the doorbell kept while it is idle). */
  openPulls: number;
  /**
   * How many jobs the consumer's next doorbell asks for: 1, doubled each time a doorbell is
   * filled (a steady trickle of jobs), back to 1 when one expires short (see doorbellJobs).
   */
  doorbellSize: number;
  /**
   * The highest stream sequence this process got a first delivery (delivery count 1) of from
   * this consumer. A consumer hands out first deliveries in stream order, so a first delivery
   * below it means the consumer lost deliveries it had made (a leader died before its followers
   * stored them): that job may have been served already.
   */
  highestFirstDelivery: number;
}

/** A new source's counters, all zero. */
export function newJobSource(name: string, tenant: string, own = false): JobSource {
  return {
    name,
    tenant,
    own,
    backlog: 0,
    inFlight: 0,
    openPulls: 0,
    doorbellSize: 1,
    highestFirstDelivery: 0,
  };
}

/** Options of {@link TenantSources}. */
export interface TenantSourcesOptions {
  jsm: JetStreamManager;
  stream: string;
  model: string;
  /** The lane whose tenants' consumers these are. */
  priority: JobPriority;
  subjects: SwitchyardSubjects;
  /** The model's own consumer's settings, which tenants' consumers take. */
  modelConsumer: Readonly<ConsumerConfig>;
  /** How long a tenant's consumer may go without a pull (see tenantConsumerIdleMs). */
  idleMs: number;
  /** The server can change a consumer's filter in place (see ensureConsumer). */
  filterUpdates: boolean;
  /** The model's own consumer, when it serves one tenant of this lane: first in `sources`. */
  own?: JobSource;
  logger: Logger;
}

/**
 * One lane of one model as a consumer per tenant whose jobs wait, so that a worker can take
 * turns between tenants instead of serving one tenant's backlog before the next tenant's
 * first job (nats-server 2.9 has no priority groups or multi-filter consumers, and a work
 * queue refuses overlapping consumers, so turns need a consumer each). In the interactive lane
 * tenant `default` is served by the model's own consumer (`own`), which leads the list.
 *
 * refresh() reads which tenants have jobs of the lane in the stream (the stream's per-subject
 * counts under `<root>.jobs.*.<model>`, or `….batch`), makes the consumers of new ones (see
 * tenantConsumerConfig; the server removes one nobody pulled from for `idleMs`) and updates
 * what each is known to hold. adoptExisting() takes the lane's consumers that already exist, so
 * that a worker that starts keeps a pull open on each interactive one at once.
 */
export class TenantSources {
  private readonly byTenant = new Map<string, JobSource>();
  private list: readonly JobSource[];
  /** Tenants whose consumer could not be made, so that each failure is logged once. */
  private readonly refused = new Set<string>();

  constructor(private readonly options: TenantSourcesOptions) {
    this.list = options.own === undefined ? [] : [options.own];
  }

  /**
   * The lane's consumers: the model's own first (if it serves the lane), then the tenants' in
   * the order they were found.
   */
  get sources(): readonly JobSource[] {
    return this.list;
  }

  /** Forgets a consumer that is gone (removed while idle); refresh() makes it again if needed. */
  forget(source: JobSource): void {
    if (this.byTenant.get(source.tenant) !== source) return;
    this.byTenant.delete(source.tenant);
    this.relist();
  }

  /**
   * Takes the lane's tenant consumers that exist on the stream (by their name and filter; a
   * consumer someone else made is left alone); resolves how many it took. One an earlier
   * version made with another idle limit is brought to this one's settings.
   */
  async adoptExisting(): Promise<number> {
    const { jsm, stream, model, priority, subjects } = this.options;
    const stale: string[] = [];
    let adopted = 0;
    for await (const info of jsm.consumers.list(stream)) {
      const parsed = subjects.parse(info.config.filter_subject ?? '');
      if (!parsed.ok || parsed.kind !== 'jobs' || parsed.model !== model) continue;
      if (parsed.priority !== priority || this.isOwnLane(parsed.tenant)) continue;
      if (info.name !== tenantConsumerName(parsed.tenant, model, priority)) continue;
      if (this.byTenant.has(parsed.tenant)) continue;
      this.add(newJobSource(info.name, parsed.tenant));
      if (info.config.inactive_threshold !== nanos(this.options.idleMs)) stale.push(parsed.tenant);
      adopted += 1;
    }
    for (const tenant of stale) {
      try {
        await this.ensure(tenant);
      } catch (error) {
        this.options.logger.warn(
          { tenant, priority, err: describeError(error) },
          "cannot bring a tenant's consumer to this version's idle limit; it keeps its own",
        );
      }
    }
    return adopted;
  }

  /**
   * Makes the consumer of a tenant whose jobs are expected before the scan would find them, so
   * that a pull kept open on it takes the first of them at once. Does nothing for a consumer
   * already known; a consumer that cannot be made is logged and left to the scan.
   */
  async expect(tenant: string): Promise<void> {
    if (this.isOwnLane(tenant) || this.byTenant.has(tenant)) return;
    await this.open(tenant);
  }

  /** Reads the stream's subjects of the lane; resolves whether anything changed. */
  async refresh(): Promise<boolean> {
    const { jsm, stream, model, priority, subjects } = this.options;
    const filter = subjects.jobsForModel(model, priority);
    const info = await jsm.streams.info(stream, { subjects_filter: filter });
    const counts = new Map<string, number>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      const parsed = subjects.parse(subject);
      if (!parsed.ok || parsed.kind !== 'jobs' || parsed.model !== model) continue;
      if (parsed.priority === priority && count > 0) counts.set(parsed.tenant, count);
    }
    let changed = false;
    for (const source of this.list) {
      if (!counts.has(source.tenant) && source.backlog > 0) {
        source.backlog = 0;
        changed = true;
      }
    }
    for (const [tenant, count] of counts) {
      const source = this.isOwnLane(tenant)
        ? (this.options.own ?? null)
        : (this.byTenant.get(tenant) ?? (await this.open(tenant)));
      // The count includes jobs being handled (here and by other workers): only jobs beyond
      // this process's own are taken to wait.
      if (source !== null && source.backlog === 0 && count > source.inFlight) {
        source.backlog = count - source.inFlight;
        changed = true;
      }
    }
    return changed;
  }

  /** The tenant whose jobs of this lane the model's own consumer holds. */
  private isOwnLane(tenant: string): boolean {
    return this.options.own?.tenant === tenant;
  }

  private add(source: JobSource): void {
    this.byTenant.set(source.tenant, source);
    this.relist();
  }

  private relist(): void {
    const { own } = this.options;
    this.list = [...(own === undefined ? [] : [own]), ...this.byTenant.values()];
  }

  /** Makes the consumer of a tenant's lane, or brings it to this version's settings. */
  private async ensure(tenant: string): Promise<string> {
    const { jsm, stream, model, priority, subjects, logger } = this.options;
    const config = tenantConsumerConfig(
      this.options.modelConsumer,
      { tenant, model, priority },
      subjects.root,
      this.options.idleMs,
    );
    await ensureConsumer(jsm, stream, config, {
      filterUpdates: this.options.filterUpdates,
      logger,
    });
    return config.durable_name;
  }

  private async open(tenant: string): Promise<JobSource | null> {
    const { model, priority, logger } = this.options;
    try {
      const source = newJobSource(await this.ensure(tenant), tenant);
      this.add(source);
      this.refused.delete(tenant);
      return source;
    } catch (error) {
      if (!this.refused.has(tenant)) {
        this.refused.add(tenant);
        logger.error(
          {
            tenant,
            priority,
            consumer: tenantConsumerName(tenant, model, priority),
            err: describeError(error),
          },
          "cannot make the consumer of a tenant's lane; its jobs wait until it can be made",
        );
      }
      return null;
    }
  }
}
