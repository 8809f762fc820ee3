import type { NatsConnection } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';
import { Switchyard } from './switchyard';

describe('new Switchyard', () => {
  it('refuses a tenant that is not a subject token before touching the connection', () => {
    const nc = {} as NatsConnection;
    expect(() => new Switchyard({ nc, tenant: 'acme.corp' })).toThrow(TypeError);
    expect(() => new Switchyard({ nc, tenant: '' })).toThrow(/invalid tenant/);
  });
});
