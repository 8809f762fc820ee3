import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';

/** What every tenant's client shares. */
export interface TenantClientsOptions {
  nc: NatsConnection;
  subjectRoot: string;
  streamPrefix: string;
  /** The configured logical models. */
  models: readonly string[];
}

/** One Switchyard client per tenant, made on first use and kept. */
export class TenantClients {
  private readonly clients = new Map<string, Switchyard>();

  constructor(private readonly options: TenantClientsOptions) {}

  /** The client that submits jobs for `tenant`. */
  for(tenant: string): Switchyard {
    let client = this.clients.get(tenant);
    if (client === undefined) {
      const { nc, subjectRoot, streamPrefix, models } = this.options;
      client = new Switchyard({ nc, tenant, subjectRoot, streamPrefix, models });
      this.clients.set(tenant, client);
    }
    return client;
  }
}
