import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { nuid, type Msg, type NatsConnection } from '@nats-io/nats-core';
import {
  decodeReply,
  streamNames,
  tenantInboxPrefix,
  type AnswerRecord,
  type ReplyMessage,
  type SwitchyardError,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { readAnswerRecord } from '@switchyard/messaging';

/**
 * What arrives for one job: a reply, a reply the client cannot read, or the end of the
 * subscription (the server refused it: the connection may not read this tenant's inboxes).
 */
export type MuxDelivery =
  { reply: ReplyMessage } | { unreadable: SwitchyardError } | { closed: Error };

/** One job waiting on the mux. */
interface Waiting {
  jobId: string;
  deliver(delivery: MuxDelivery): void;
}

/** A job's place on the mux: its reply subject, and how to stop waiting. */
export interface MuxEntry {
  /** `_INBOX.<tenant>.<mux id>.<n>`: the job's `Switchyard-Reply-To`. */
  readonly subject: string;
  /** Stops delivering; later replies for the job are dropped. */
  close(): void;
}

/**
 * One long-lived wildcard subscription per client for the answers of all its jobs
 * (`_INBOX.<tenant>.<mux id>.*`): each job gets the next token under it as its reply subject,
 * so a call costs no subscribe and unsubscribe. Replies for a token nobody waits on any more
 * (a duplicate final, a job that timed out) are dropped.
 *
 * An answer published while the connection was down (its NATS node died, a network blip) is
 * lost on core NATS, but every final answer is recorded (stream LLM_ANSWERS) before it is
 * published: when the connection comes back, each waiting job's record is read and a final
 * answer found there is delivered. (A stream that lost chunks that way ends with `stream_cut`:
 * ChunkOrder sees the gap.)
 */
export class ReplyMux {
  private readonly prefix: string;
  private readonly waiting = new Map<string, Waiting>();
  private next = 0;
  private manager: Promise<JetStreamManager> | undefined;
  private recoveredCount = 0;
  private closedBy: Error | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly tenant: string,
    private readonly subjects: SwitchyardSubjects,
    private readonly streamPrefix: string,
  ) {
    this.prefix = `${tenantInboxPrefix(tenant)}.${nuid.next()}`;
    nc.subscribe(`${this.prefix}.*`, {
      callback: (error, msg) => (error === null ? this.route(msg) : this.closeAll(error)),
    });
    void this.watch();
  }

  /** How many final answers were recovered from their records after a reconnect. */
  get recovered(): number {
    return this.recoveredCount;
  }

  /** Waits for the replies of `jobId` on a subject of their own, until the entry is closed. */
  add(jobId: string, deliver: (delivery: MuxDelivery) => void): MuxEntry {
    const token = (this.next++).toString(36);
    const closedBy = this.closedBy;
    if (closedBy !== undefined) queueMicrotask(() => deliver({ closed: closedBy }));
    else this.waiting.set(token, { jobId, deliver });
    return {
      subject: `${this.prefix}.${token}`,
      close: () => void this.waiting.delete(token),
    };
  }

  /** The final message recorded for a job of this tenant, or null when it has none yet. */
  async finalAnswer(jobId: string): Promise<ReplyMessage | null> {
    const record = await this.record(jobId);
    return record?.outcome === 'answered' && record.reply !== undefined ? record.reply : null;
  }

  /** The last settlement recorded for a job of this tenant (stream LLM_ANSWERS), or null. */
  async record(jobId: string): Promise<AnswerRecord | null> {
    // No `$JS.API.INFO` check: a tenant's NATS user may not send it.
    this.manager ??= jetstreamManager(this.nc, { checkAPI: false });
    return readAnswerRecord(
      await this.manager,
      { stream: streamNames(this.streamPrefix).answers, subjects: this.subjects },
      this.tenant,
      jobId,
    );
  }

  private route(msg: Msg): void {
    const waiting = this.waiting.get(msg.subject.slice(this.prefix.length + 1));
    if (waiting === undefined) return;
    const decoded = decodeReply(msg.data);
    if (!decoded.ok) return waiting.deliver({ unreadable: decoded.error });
    const id = decoded.reply.switchyard.job_id;
    // An error about a job the service could not read carries no id; any other id is stray.
    if (id !== null && id !== waiting.jobId) return;
    waiting.deliver({ reply: decoded.reply });
  }

  /** The subscription ended (a permissions violation): every wait, now and later, fails. */
  private closeAll(error: Error): void {
    this.closedBy = error;
    for (const waiting of this.waiting.values()) waiting.deliver({ closed: error });
    this.waiting.clear();
  }

  private async watch(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'reconnect') await this.recoverAll();
    }
  }

  private async recoverAll(): Promise<void> {
    await Promise.all(
      [...this.waiting.values()].map(async (waiting) => {
        const reply = await this.finalAnswer(waiting.jobId).catch(() => null);
        if (reply === null) return;
        this.recoveredCount += 1;
        waiting.deliver({ reply });
      }),
    );
  }
}
