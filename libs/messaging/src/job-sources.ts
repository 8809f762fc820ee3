import type {
  Consumer,
  ConsumerConfig,
  JetStreamClient,
  JetStreamManager,
} from '@nats-io/jetstream';
import type { SwitchyardSubjects } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import { ensureConsumer } from './ensure-consumer';
import { describeError } from './jetstream-api-errors';
import { batchConsumerConfig } from './topology-plan';

/** One consumer a lane pulls from, and what the pull loop knows of it. */
export interface JobSource {
  readonly name: string;
  readonly consumer: Consumer;
  /** The tenant of a batch lane's consumer; null for the model's interactive consumer. */
  readonly tenant: string | null;
  /**
   * Jobs known to wait: the last delivery's pending count, 0 once a pull came back short; for
   * a tenant's batch consumer also what the stream holds for it (less what this process is
   * handling) when nothing else is known.
   */
  backlog: number;
  /** Jobs from this consumer being handled in this process. */
  inFlight: number;
  /**
   * The highest stream sequence this process got a first delivery (delivery count 1) of from
   * this consumer. A consumer hands out first deliveries in stream order, so a first delivery
   * below it means the consumer lost deliveries it had made (a leader died before its followers
   * stored them): that job may have been served already.
   */
  highestFirstDelivery: number;
}

/** Options of {@link BatchTenantSources}. */
export interface BatchTenantSourcesOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  model: string;
  subjects: SwitchyardSubjects;
  /** The model's own consumer's settings, which tenants' batch consumers take. */
  modelConsumer: Readonly<ConsumerConfig>;
  /** The server can change a consumer's filter in place (see ensureConsumer). */
  filterUpdates: boolean;
  logger: Logger;
}

/**
 * The batch lane of one model: a consumer per tenant whose batch jobs wait, so that a worker
 * can take turns between tenants instead of serving one tenant's backlog before the next
 * tenant's first job (nats-server 2.9 has no priority groups or multi-filter consumers, and a
 * work queue refuses overlapping consumers, so turns need a consumer each).
 *
 * refresh() reads which tenants have batch jobs in the stream (the stream's per-subject counts
 * under `<root>.jobs.*.<model>.batch`), makes the consumers of new ones (see batchConsumerConfig;
 * the server removes one nobody pulled from for an hour) and updates what each is known to hold.
 */
export class BatchTenantSources {
  private readonly byTenant = new Map<string, JobSource>();
  private list: readonly JobSource[] = [];
  /** Tenants whose consumer could not be made, so that each failure is logged once. */
  private readonly refused = new Set<string>();

  constructor(private readonly options: BatchTenantSourcesOptions) {}

  /** The tenants' consumers, in the order they were found. */
  get sources(): readonly JobSource[] {
    return this.list;
  }

  /** Forgets a consumer that is gone (removed while idle); refresh() makes it again if needed. */
  forget(source: JobSource): void {
    const tenant = source.tenant ?? '';
    if (this.byTenant.get(tenant) !== source) return;
    this.byTenant.delete(tenant);
    this.list = [...this.byTenant.values()];
  }

  /** Reads the stream's batch subjects of the model; resolves whether anything changed. */
  async refresh(): Promise<boolean> {
    const { jsm, stream, model, subjects } = this.options;
    const filter = subjects.jobsForModel(model, 'batch');
    const info = await jsm.streams.info(stream, { subjects_filter: filter });
    const counts = new Map<string, number>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      const parsed = subjects.parse(subject);
      if (parsed.ok && parsed.kind === 'jobs' && parsed.model === model && count > 0) {
        counts.set(parsed.tenant, count);
      }
    }
    let changed = false;
    for (const source of this.byTenant.values()) {
      if (!counts.has(source.tenant ?? '') && source.backlog > 0) {
        source.backlog = 0;
        changed = true;
      }
    }
    for (const [tenant, count] of counts) {
      const source = this.byTenant.get(tenant) ?? (await this.open(tenant));
      // The count includes jobs being handled (here and by other workers): only jobs beyond
      // this process's own are taken to wait.
      if (source !== null && source.backlog === 0 && count > source.inFlight) {
        source.backlog = count - source.inFlight;
        changed = true;
      }
    }
    return changed;
  }

  private async open(tenant: string): Promise<JobSource | null> {
    const { js, jsm, stream, model, subjects, logger } = this.options;
    const config = batchConsumerConfig(this.options.modelConsumer, tenant, model, subjects.root);
    try {
      await ensureConsumer(jsm, stream, config, {
        filterUpdates: this.options.filterUpdates,
        logger,
      });
      const source: JobSource = {
        name: config.durable_name,
        consumer: await js.consumers.get(stream, config.durable_name),
        tenant,
        backlog: 0,
        inFlight: 0,
        highestFirstDelivery: 0,
      };
      this.byTenant.set(tenant, source);
      this.list = [...this.byTenant.values()];
      this.refused.delete(tenant);
      return source;
    } catch (error) {
      if (!this.refused.has(tenant)) {
        this.refused.add(tenant);
        logger.error(
          { tenant, consumer: config.durable_name, err: describeError(error) },
          'cannot make the batch consumer of a tenant; its batch jobs wait until it can be made',
        );
      }
      return null;
    }
  }
}
