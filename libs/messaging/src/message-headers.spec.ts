import { describe, expect, it } from 'vitest';
import { jobMessageId } from './job-message-id';
import { isPublishableSubject, readHeader, switchyardHeaders } from './message-headers';

describe('message headers', () => {
  it('always carry the contract version, and the given values', () => {
    const headers = switchyardHeaders({
      replyTo: 'llm.results.b1',
      attempt: 3,
      errorType: 'rate_limit',
    });
    expect(readHeader(headers, 'Switchyard-Contract')).toBe('1');
    expect(readHeader(headers, 'Switchyard-Reply-To')).toBe('llm.results.b1');
    expect(readHeader(headers, 'Switchyard-Attempt')).toBe('3');
    expect(readHeader(headers, 'Switchyard-Error-Type')).toBe('rate_limit');
    expect(readHeader(headers, 'Nats-Msg-Id')).toBeNull();
  });

  it('write no trace context when no propagator is registered', () => {
    expect(readHeader(switchyardHeaders(), 'traceparent')).toBeNull();
  });

  it('accept only subjects one can publish to', () => {
    expect(isPublishableSubject('_INBOX.abc.def')).toBe(true);
    expect(isPublishableSubject('llm.results.batch-1')).toBe(true);
    for (const bad of ['', 'a..b', '.a', 'a.', 'a.*', 'a.>', 'a b', 'a\tb']) {
      expect(isPublishableSubject(bad)).toBe(false);
    }
  });
});

describe('jobMessageId', () => {
  it('is the tenant and job id for a fresh job and names the hop for a republished one', () => {
    const hop = { model: 'a', deployments: [] };
    expect(jobMessageId({ tenant: 'acme', id: 'j-1', route: [] })).toBe('acme.j-1');
    expect(jobMessageId({ tenant: 'acme', id: 'j-1', route: [hop] })).toBe('acme.j-1#1');
    expect(jobMessageId({ tenant: 'globex', id: 'j-1', route: [] })).toBe('globex.j-1');
  });
});
