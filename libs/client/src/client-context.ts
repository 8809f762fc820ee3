import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardSubjects } from '@switchyard/contracts';
import type { OpenInboxes } from './answers/open-inboxes';

/** What every part of the client shares: the connection and the installation's names. */
export interface ClientContext {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly tenant: string;
  readonly subjects: SwitchyardSubjects;
  /** The stream-name prefix of the installation ('' for none). */
  readonly streamPrefix: string;
  readonly timeoutMs: number;
  /** The jobs this client waits on, recovered from their answer records after a reconnect. */
  readonly inboxes: OpenInboxes;
  /** The installation's logical models, when known: jobs for others are refused. */
  readonly models: ReadonlySet<string> | undefined;
}
