import { ServiceRoles } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import {
  natsAuthConfig,
  NatsAuthConfigError,
  servicePermissions,
  tenantPermissions,
} from './index';

describe('tenantPermissions', () => {
  it('allows publishing only the tenant’s jobs, chat and embeddings requests and cancels, and reading only its inboxes, batch results and budget events', () => {
    expect(tenantPermissions('acme', { subjectRoot: 'sy.llm' })).toEqual({
      publish: {
        allow: [
          'sy.llm.jobs.acme.>',
          'sy.llm.chat.acme.>',
          'sy.llm.embeddings.acme.>',
          'sy.llm.cancel.acme.>',
          '$JS.API.STREAM.INFO.LLM_RESULTS',
          '$JS.API.CONSUMER.CREATE.LLM_RESULTS.*.sy.llm.results.acme.>',
          '$JS.API.CONSUMER.MSG.NEXT.LLM_RESULTS.*',
          '$JS.API.CONSUMER.INFO.LLM_RESULTS.*',
          '$JS.API.CONSUMER.DELETE.LLM_RESULTS.*',
          '$JS.API.DIRECT.GET.LLM_ANSWERS.sy.llm.answers.acme.>',
        ],
      },
      subscribe: {
        allow: ['_INBOX.acme.>', 'sy.llm.events.budget.acme', 'sy.llm.answers.acme.>'],
      },
    });
  });

  it('refuses a tenant that is not one subject token', () => {
    for (const bad of ['a.b', 'a*', '>', '', 'x'.repeat(65), 'a b']) {
      expect(() => tenantPermissions(bad)).toThrow(NatsAuthConfigError);
    }
  });
});

describe('servicePermissions', () => {
  const allOf = (role: (typeof ServiceRoles)[number]) => {
    const { publish, subscribe } = servicePermissions(role, { streamPrefix: 'P' });
    return { publish: publish.allow, subscribe: subscribe.allow };
  };

  it('lets no role but admin purge or delete a stream, delete a message or publish anywhere', () => {
    for (const role of ServiceRoles.filter((r) => r !== 'admin')) {
      const { publish, subscribe } = allOf(role);
      expect(publish, role).not.toContain('>');
      expect(subscribe, role).not.toContain('>');
      for (const subject of publish) {
        expect(subject, role).not.toMatch(/\$JS\.API\.STREAM\.(DELETE|MSG\.DELETE)/);
        // A role deletes only its own ephemeral consumers: the worker's on the cancellations
        // stream, metering's replay consumer on the usage stream, every reader's keys watch,
        // the batch runner's results readers, the files and batches buckets' lists and watches.
        if (subject.includes('CONSUMER.DELETE')) {
          expect([
            '$JS.API.CONSUMER.DELETE.P_LLM_CANCELS.*',
            '$JS.API.CONSUMER.DELETE.P_LLM_USAGE.*',
            '$JS.API.CONSUMER.DELETE.P_LLM_RESULTS.*',
            '$JS.API.CONSUMER.DELETE.KV_P_SWITCHYARD_KEYS.*',
            '$JS.API.CONSUMER.DELETE.KV_P_SWITCHYARD_BATCHES.*',
            '$JS.API.CONSUMER.DELETE.OBJ_P_SWITCHYARD_FILES.*',
          ]).toContain(subject);
        }
        // The only KV any service writes is the batches bucket (only admin writes keys).
        if (subject.startsWith('$KV.')) expect(subject, role).toBe('$KV.P_SWITCHYARD_BATCHES.>');
        expect(subject, role).not.toMatch(/^\$JS\.API\.>$|^\$JS\.>$|^_INBOX\.>$/);
      }
      expect(subscribe, role).toContain(`_INBOX_${role}.>`);
      expect(servicePermissions(role).allowResponses).toBe(true);
    }
    expect(allOf('admin')).toEqual({ publish: ['>'], subscribe: ['>'] });
  });

  it('gives each role what its process does: the jobs purge to the unknown-model responder, file purges to the files API', () => {
    const purges = ServiceRoles.filter((role) =>
      allOf(role).publish.some((s) => s.startsWith('$JS.API.STREAM.PURGE')),
    );
    expect(purges).toEqual(['gateway', 'fallback', 'batch']);
    expect(allOf('fallback').publish).toContain('$JS.API.STREAM.PURGE.P_LLM_JOBS');
    // Deleting a file purges its chunks from the files bucket, and nothing else.
    for (const role of ['gateway', 'batch'] as const) {
      expect(allOf(role).publish.filter((s) => s.startsWith('$JS.API.STREAM.PURGE'))).toEqual([
        '$JS.API.STREAM.PURGE.OBJ_P_SWITCHYARD_FILES',
      ]);
    }
    expect(allOf('fallback').publish).toContain('llm.answers.>');
    expect(allOf('gateway').publish).toEqual(
      expect.arrayContaining(['llm.jobs.>', 'llm.cancel.>']),
    );
    expect(allOf('gateway').subscribe).toEqual(
      expect.arrayContaining(['_INBOX.*.>', 'llm.chat.*.*', 'llm.embeddings.*.*', 'llm.answers.>']),
    );
    expect(allOf('gateway').publish).toContain('_INBOX.*.>');
    expect(allOf('worker').publish).toEqual(
      expect.arrayContaining([
        '$JS.API.CONSUMER.MSG.NEXT.P_LLM_JOBS.*',
        '$JS.ACK.P_LLM_JOBS.>',
        '_INBOX.*.>',
        'llm.results.>',
        'llm.usage.>',
        'llm.dlq.>',
      ]),
    );
    expect(allOf('worker').publish).not.toContain('llm.jobs.>');
    expect(allOf('worker').publish).toEqual(
      expect.arrayContaining(['llm.answers.>', '$JS.API.DIRECT.GET.P_LLM_ANSWERS.>']),
    );
    expect(allOf('worker').subscribe).not.toContain('llm.cancel.>');
    expect(allOf('metering').publish).not.toContain('_INBOX.*.>');
    expect(allOf('metering').subscribe).toContain('llm.metering.spend');
  });
});

describe('natsAuthConfig', () => {
  it('writes one limited user per service role and per tenant, passwords as text or variables', () => {
    const text = natsAuthConfig({
      subjectRoot: 'llm',
      services: {
        worker: { password: { env: 'NATS_WORKER_PASSWORD' } },
        admin: { password: 'adm' },
      },
      tenants: [
        { tenant: 'acme', password: 'a-pw' },
        { tenant: 'globex', user: 'globex-app', password: '$2a$11$hash' },
      ],
    });
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['authorization {', '  users = [']);
    expect(text.endsWith('  ]\n}\n')).toBe(true);
    expect(lines[2]).toMatch(
      /^ {4}\{ user: "switchyard-worker", password: \$NATS_WORKER_PASSWORD, permissions: \{ publish: \{ allow: \[.*"_INBOX\.\*\.>".*\] \}, subscribe: \{ allow: \[.*\] \}, allow_responses: true \} \}$/,
    );
    expect(lines[3]).toBe(
      '    { user: "switchyard-admin", password: "adm", permissions: { publish: { allow: [">"] }, subscribe: { allow: [">"] } } }',
    );
    expect(lines[4]).toBe(
      '    { user: "acme", password: "a-pw", permissions: { publish: { allow: ["llm.jobs.acme.>", "llm.chat.acme.>", "llm.embeddings.acme.>", "llm.cancel.acme.>", "$JS.API.STREAM.INFO.LLM_RESULTS", "$JS.API.CONSUMER.CREATE.LLM_RESULTS.*.llm.results.acme.>", "$JS.API.CONSUMER.MSG.NEXT.LLM_RESULTS.*", "$JS.API.CONSUMER.INFO.LLM_RESULTS.*", "$JS.API.CONSUMER.DELETE.LLM_RESULTS.*", "$JS.API.DIRECT.GET.LLM_ANSWERS.llm.answers.acme.>"] }, subscribe: { allow: ["_INBOX.acme.>", "llm.events.budget.acme", "llm.answers.acme.>"] } } }',
    );
    expect(lines[5]).toMatch(/^ {4}\{ user: "globex-app", password: "\$2a\$11\$hash", /);
  });

  it('quotes passwords with quotes and backslashes', () => {
    const text = natsAuthConfig({
      services: { admin: { user: 'svc', password: 'a"b\\c' } },
      tenants: [],
    });
    expect(text).toContain('{ user: "svc", password: "a\\"b\\\\c", ');
  });

  it('refuses an empty password, a bad variable name, a user used twice, a tenant listed twice and a bad tenant', () => {
    const services = { admin: { password: 'x' } };
    expect(() => natsAuthConfig({ services: { admin: { password: '' } }, tenants: [] })).toThrow(
      'the password of user "switchyard-admin" is empty',
    );
    expect(() =>
      natsAuthConfig({ services: { worker: { password: { env: 'A B' } } }, tenants: [] }),
    ).toThrow('must be a variable name');
    expect(() =>
      natsAuthConfig({ services, tenants: [{ tenant: 'switchyard-admin', password: 'y' }] }),
    ).toThrow('user "switchyard-admin" is used twice');
    expect(() =>
      natsAuthConfig({
        services,
        tenants: [
          { tenant: 'a', password: 'y' },
          { tenant: 'a', user: 'other', password: 'z' },
        ],
      }),
    ).toThrow('tenant "a" is listed twice');
    expect(() => natsAuthConfig({ services, tenants: [{ tenant: 'a.b', password: 'y' }] })).toThrow(
      NatsAuthConfigError,
    );
    expect(() =>
      natsAuthConfig({ services, tenants: [{ tenant: 'a', user: '', password: 'y' }] }),
    ).toThrow('a user name is empty');
  });
});
