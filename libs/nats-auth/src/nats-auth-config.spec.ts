import { describe, expect, it } from 'vitest';
import { natsAuthConfig, NatsAuthConfigError, tenantInboxPrefix, tenantPermissions } from './index';

describe('tenantPermissions', () => {
  it('allows publishing only the tenant’s jobs and cancels, and reading only its inboxes, batch results and budget events', () => {
    expect(tenantPermissions('acme', { subjectRoot: 'sy.llm' })).toEqual({
      publish: {
        allow: [
          'sy.llm.jobs.acme.>',
          'sy.llm.cancel.acme.>',
          '$JS.API.STREAM.INFO.LLM_RESULTS',
          '$JS.API.CONSUMER.CREATE.LLM_RESULTS.*.sy.llm.results.acme.>',
          '$JS.API.CONSUMER.MSG.NEXT.LLM_RESULTS.*',
          '$JS.API.CONSUMER.INFO.LLM_RESULTS.*',
          '$JS.API.CONSUMER.DELETE.LLM_RESULTS.*',
        ],
      },
      subscribe: { allow: ['_INBOX_acme.>', 'sy.llm.events.budget.acme'] },
    });
  });

  it('refuses a tenant that is not one subject token', () => {
    for (const bad of ['a.b', 'a*', '>', '', 'x'.repeat(65), 'a b']) {
      expect(() => tenantPermissions(bad)).toThrow(NatsAuthConfigError);
      expect(() => tenantInboxPrefix(bad)).toThrow(/invalid tenant/);
    }
  });
});

describe('natsAuthConfig', () => {
  it('writes the service user without limits and one limited user per tenant', () => {
    const text = natsAuthConfig({
      subjectRoot: 'llm',
      service: { password: 'svc-pw' },
      tenants: [
        { tenant: 'acme', password: 'a-pw' },
        { tenant: 'globex', user: 'globex-app', password: '$2a$11$hash' },
      ],
    });
    expect(text).toBe(
      [
        'authorization {',
        '  users = [',
        '    { user: "switchyard", password: "svc-pw" }',
        '    { user: "acme", password: "a-pw", permissions: { publish: { allow: ["llm.jobs.acme.>", "llm.cancel.acme.>", "$JS.API.STREAM.INFO.LLM_RESULTS", "$JS.API.CONSUMER.CREATE.LLM_RESULTS.*.llm.results.acme.>", "$JS.API.CONSUMER.MSG.NEXT.LLM_RESULTS.*", "$JS.API.CONSUMER.INFO.LLM_RESULTS.*", "$JS.API.CONSUMER.DELETE.LLM_RESULTS.*"] }, subscribe: { allow: ["_INBOX_acme.>", "llm.events.budget.acme"] } } }',
        '    { user: "globex-app", password: "$2a$11$hash", permissions: { publish: { allow: ["llm.jobs.globex.>", "llm.cancel.globex.>", "$JS.API.STREAM.INFO.LLM_RESULTS", "$JS.API.CONSUMER.CREATE.LLM_RESULTS.*.llm.results.globex.>", "$JS.API.CONSUMER.MSG.NEXT.LLM_RESULTS.*", "$JS.API.CONSUMER.INFO.LLM_RESULTS.*", "$JS.API.CONSUMER.DELETE.LLM_RESULTS.*"] }, subscribe: { allow: ["_INBOX_globex.>", "llm.events.budget.globex"] } } }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes passwords with quotes and backslashes', () => {
    const text = natsAuthConfig({
      service: { user: 'svc', password: 'a"b\\c' },
      tenants: [],
    });
    expect(text).toContain('{ user: "svc", password: "a\\"b\\\\c" }');
  });

  it('refuses an empty password, a user used twice, a tenant listed twice and a bad tenant', () => {
    const service = { password: 'x' };
    expect(() => natsAuthConfig({ service: { password: '' }, tenants: [] })).toThrow(
      'the password of user "switchyard" is empty',
    );
    expect(() =>
      natsAuthConfig({ service, tenants: [{ tenant: 'switchyard', password: 'y' }] }),
    ).toThrow('user "switchyard" is used twice');
    expect(() =>
      natsAuthConfig({
        service,
        tenants: [
          { tenant: 'a', password: 'y' },
          { tenant: 'a', user: 'other', password: 'z' },
        ],
      }),
    ).toThrow('tenant "a" is listed twice');
    expect(() => natsAuthConfig({ service, tenants: [{ tenant: 'a.b', password: 'y' }] })).toThrow(
      NatsAuthConfigError,
    );
    expect(() =>
      natsAuthConfig({ service, tenants: [{ tenant: 'a', user: '', password: 'y' }] }),
    ).toThrow('a user name is empty');
  });
});
