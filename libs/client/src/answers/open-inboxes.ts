import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { streamNames, type ReplyMessage, type SwitchyardSubjects } from '@switchyard/contracts';
import { readAnswerRecord } from '@switchyard/messaging';

/** A job waiting for its answer, which a reconnect may have cost it. */
export interface AwaitedJob {
  readonly jobId: string;
  /** Hands over the job's final message, read from its answer record. */
  recover(reply: ReplyMessage): void;
}

/**
 * The jobs a client is waiting on. An answer published while the client's connection was down
 * (its NATS node died, a network blip) is lost on core NATS, but every final answer is recorded
 * (stream LLM_ANSWERS) before it is published: so when the connection comes back, each waiting
 * job's record is read, and a final answer found there is handed over. A stream that lost
 * chunks that way ends with `stream_cut` (ChunkOrder sees the gap).
 */
export class OpenInboxes {
  private readonly waiting = new Set<AwaitedJob>();
  private manager: Promise<JetStreamManager> | undefined;
  private recoveredCount = 0;

  /** How many final answers were recovered from their records after a reconnect. */
  get recovered(): number {
    return this.recoveredCount;
  }

  constructor(
    private readonly nc: NatsConnection,
    private readonly tenant: string,
    private readonly subjects: SwitchyardSubjects,
    private readonly streamPrefix: string,
  ) {
    void this.watch();
  }

  /** Waits on `job` until the returned function is called. */
  add(job: AwaitedJob): () => void {
    this.waiting.add(job);
    return () => this.waiting.delete(job);
  }

  /** The final message recorded for a job of this tenant, or null when it has none yet. */
  async finalAnswer(jobId: string): Promise<ReplyMessage | null> {
    // No `$JS.API.INFO` check: a tenant's NATS user may not send it.
    this.manager ??= jetstreamManager(this.nc, { checkAPI: false });
    const record = await readAnswerRecord(
      await this.manager,
      { stream: streamNames(this.streamPrefix).answers, subjects: this.subjects },
      this.tenant,
      jobId,
    );
    return record?.outcome === 'answered' && record.reply !== undefined ? record.reply : null;
  }

  private async watch(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'reconnect') await this.recoverAll();
    }
  }

  private async recoverAll(): Promise<void> {
    await Promise.all(
      [...this.waiting].map(async (job) => {
        const reply = await this.finalAnswer(job.jobId).catch(() => null);
        if (reply === null) return;
        this.recoveredCount += 1;
        job.recover(reply);
      }),
    );
  }
}
