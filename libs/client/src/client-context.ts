import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardSubjects } from '@switchyard/contracts';
import type { StreamPublish } from '@switchyard/messaging';
import type { ReplyMux } from './chat/reply-mux';

/** What every part of the client shares: the connection and the installation's names. */
export interface ClientContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  /** Publishes jobs; its acknowledgements arrive on one subscription of the tenant's inbox. */
  readonly streams: StreamPublish;
  readonly tenant: string;
  readonly subjects: SwitchyardSubjects;
  /** The stream-name prefix of the installation ('' for none). */
  readonly streamPrefix: string;
  readonly timeoutMs: number;
  /** The one subscription the answers of this client's jobs arrive on. */
  readonly replies: ReplyMux;
  /** The installation's logical models, when known: jobs for others are refused. */
  readonly models: ReadonlySet<string> | undefined;
}
