import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from './ids.schema';
import {
  createSubjects,
  isTenantInbox,
  SubjectError,
  subjects,
  tenantInboxPrefix,
} from './subjects';

describe('subjects (default root llm)', () => {
  it('builds the jobs, dead-letter and usage subjects of a tenant and model', () => {
    expect(subjects.jobs('acme', 'openai/gpt-4o')).toBe('llm.jobs.acme.openai~2Fgpt-4o');
    expect(subjects.dlq('acme', 'claude-3.5')).toBe('llm.dlq.acme.claude-3~2E5');
    expect(subjects.usage(DEFAULT_TENANT, 'fast-triage-model')).toBe(
      'llm.usage.default.fast-triage-model',
    );
  });

  it('builds the chat request subjects: per tenant and model, every tenant, a tenant', () => {
    expect(subjects.chat(DEFAULT_TENANT, 'fast-triage-model')).toBe(
      'llm.chat.default.fast-triage-model',
    );
    expect(subjects.chat('acme', 'openai/gpt-4o')).toBe('llm.chat.acme.openai~2Fgpt-4o');
    expect(subjects.chatAll).toBe('llm.chat.*.*');
    expect(subjects.chatForTenant('acme')).toBe('llm.chat.acme.>');
    expect(subjects.parse('llm.chat.acme.openai~2Fgpt-4o')).toEqual({
      ok: true,
      kind: 'chat',
      tenant: 'acme',
      model: 'openai/gpt-4o',
      priority: 'interactive',
    });
  });

  it('builds the embeddings request subjects: per tenant and model, every tenant, a tenant', () => {
    expect(subjects.embeddings(DEFAULT_TENANT, 'text-embed')).toBe(
      'llm.embeddings.default.text-embed',
    );
    expect(subjects.embeddings('acme', 'openai/text-embedding-3-small')).toBe(
      'llm.embeddings.acme.openai~2Ftext-embedding-3-small',
    );
    expect(subjects.embeddingsAll).toBe('llm.embeddings.*.*');
    expect(subjects.embeddingsForTenant('acme')).toBe('llm.embeddings.acme.>');
    expect(subjects.parse('llm.embeddings.acme.openai~2Ftext-embedding-3-small')).toEqual({
      ok: true,
      kind: 'embeddings',
      tenant: 'acme',
      model: 'openai/text-embedding-3-small',
      priority: 'interactive',
    });
    expect(subjects.parse('llm.embeddings.acme.m.batch')).toMatchObject({ ok: false });
    expect(() => subjects.embeddingsForTenant('a.b')).toThrow(SubjectError);
  });

  it("knows a tenant's inboxes from every other subject", () => {
    expect(isTenantInbox('acme', '_INBOX.acme.abc')).toBe(true);
    expect(isTenantInbox('acme', '_INBOX.acme.abc.1')).toBe(true);
    for (const other of [
      '_INBOX.acme',
      '_INBOX.globex.abc',
      '_INBOX.abc',
      'llm.results.acme.b',
      '_INBOX.acme.*',
    ]) {
      expect(isTenantInbox('acme', other)).toBe(false);
    }
    expect(isTenantInbox('not a tenant', '_INBOX.not a tenant.x')).toBe(false);
  });

  it("lets a job reply only to its own tenant's inboxes and results", () => {
    expect(tenantInboxPrefix('acme')).toBe('_INBOX.acme');
    expect(subjects.mayReplyTo('acme', '_INBOX.acme.abc')).toBe(true);
    expect(subjects.mayReplyTo('acme', '_INBOX.acme.abc.1')).toBe(true);
    expect(subjects.mayReplyTo('acme', 'llm.results.acme.batch-1')).toBe(true);
    for (const refused of [
      '$JS.API.STREAM.PURGE.LLM_JOBS',
      '$JS.API.STREAM.DELETE.LLM_USAGE',
      '$KV.SWITCHYARD_KEYS.x',
      '_INBOX.abc',
      '_INBOX.abc.1',
      '_INBOX.globex.abc',
      '_INBOX.acme',
      '_INBOX.acme.',
      '_INBOX.acme.*',
      '_INBOX.acme.>',
      '_INBOX_acme.x',
      '_INBOX_worker.x',
      'llm.results.globex.batch-1',
      'llm.results.acme.a.b',
      'llm.jobs.globex.m',
      'llm.usage.acme.m',
      'llm',
      'llmx.results',
      'anything.else',
    ]) {
      expect(subjects.mayReplyTo('acme', refused), refused).toBe(false);
    }
    expect(subjects.mayReplyTo('a.b', '_INBOX.a.b.c')).toBe(false);
  });

  it('builds cancel subjects with the job id as one token, and refuses an invalid id', () => {
    expect(subjects.cancel('acme', 'job-1')).toBe('llm.cancel.acme.job-1');
    expect(subjects.cancel('acme', 'batch:a.b')).toBe('llm.cancel.acme.batch~3Aa~2Eb');
    expect(subjects.cancelForTenant('acme')).toBe('llm.cancel.acme.>');
    expect(subjects.cancelAll).toBe('llm.cancel.>');
    expect(() => subjects.cancel('acme', 'has space')).toThrow(SubjectError);
    expect(() => subjects.cancel('a.b', 'job-1')).toThrow(SubjectError);
  });

  it('builds budget event subjects per tenant (outside every stream), and refuses a bad tenant', () => {
    expect(subjects.budgetEvents('acme')).toBe('llm.events.budget.acme');
    expect(subjects.budgetEventsAll).toBe('llm.events.budget.>');
    expect(createSubjects('t1.llm').budgetEvents('acme')).toBe('t1.llm.events.budget.acme');
    expect(Object.values(subjects.streamSubjects)).not.toContain('llm.events.>');
    expect(() => subjects.budgetEvents('a.b')).toThrow(SubjectError);
    expect(() => subjects.budgetEvents('')).toThrow(SubjectError);
  });

  it('builds results, metering and wildcard subjects', () => {
    expect(subjects.results('acme', 'batch_2024-11')).toBe('llm.results.acme.batch_2024-11');
    expect(subjects.resultsForTenant('acme')).toBe('llm.results.acme.>');
    expect(subjects.meteringSpend).toBe('llm.metering.spend');
    expect(subjects.jobsForModel('a.b')).toBe('llm.jobs.*.a~2Eb');
    expect(subjects.jobsForModel('a.b', 'batch')).toBe('llm.jobs.*.a~2Eb.batch');
    expect(subjects.jobs('acme', 'a.b', 'batch')).toBe('llm.jobs.acme.a~2Eb.batch');
    expect(subjects.dlqForModel('a.b')).toBe('llm.dlq.*.a~2Eb');
    expect(subjects.jobsForTenant('acme')).toBe('llm.jobs.acme.>');
    expect(subjects.streamSubjects).toEqual({
      jobs: 'llm.jobs.>',
      dlq: 'llm.dlq.>',
      usage: 'llm.usage.>',
      results: 'llm.results.>',
      answers: 'llm.answers.>',
      cancels: 'llm.cancel.>',
    });
    expect(subjects.answers('acme', 'batch:a.b')).toBe('llm.answers.acme.batch~3Aa~2Eb');
    expect(() => subjects.answers('acme', 'has space')).toThrow(SubjectError);
  });

  it('keeps a model name with dots, wildcards and spaces inside one token', () => {
    const subject = subjects.jobs('acme', 'weird.* > model');
    expect(subject.split('.')).toHaveLength(4);
    expect(subject).not.toMatch(/[*> ]/);
  });

  it.each([
    () => subjects.jobs('acme corp', 'm'),
    () => subjects.jobs('', 'm'),
    () => subjects.jobs('a.b', 'm'),
    () => subjects.usage('acme', ''),
    () => subjects.dlq('acme', 'x\u0000y'),
    () => subjects.results('default', 'batch.1'),
    () => subjects.jobsForTenant('*'),
  ])('refuses to build a subject from an invalid part (%#)', (build) => {
    expect(build).toThrow(SubjectError);
  });

  it('names the invalid part in the error', () => {
    expect(() => subjects.jobs('acme corp', 'm')).toThrow('invalid tenant "acme corp"');
    expect(() => subjects.results('default', 'b.1')).toThrow('invalid batch id "b.1"');
  });
});

describe('subjects.parse', () => {
  it('reads a jobs, dead-letter or usage subject back into tenant and model', () => {
    expect(subjects.parse('llm.jobs.acme.openai~2Fgpt-4o')).toEqual({
      ok: true,
      kind: 'jobs',
      tenant: 'acme',
      model: 'openai/gpt-4o',
      priority: 'interactive',
    });
    expect(subjects.parse('llm.jobs.acme.openai~2Fgpt-4o.batch')).toEqual({
      ok: true,
      kind: 'jobs',
      tenant: 'acme',
      model: 'openai/gpt-4o',
      priority: 'batch',
    });
    expect(subjects.parse('llm.dlq.acme.m.batch')).toMatchObject({ ok: false });
    expect(subjects.parse('llm.dlq.default.claude-3~2E5')).toMatchObject({
      kind: 'dlq',
      model: 'claude-3.5',
    });
    expect(subjects.parse('llm.usage.t1.m')).toMatchObject({ kind: 'usage', tenant: 't1' });
  });

  it('inverts the builders for any tenant and model', () => {
    const tenant = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const model = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 60 })
      .filter((name) => !/[\p{Cc}]/u.test(name));
    fc.assert(
      fc.property(
        tenant,
        model,
        fc.constantFrom('jobs', 'batch jobs', 'dlq', 'usage', 'chat', 'embeddings'),
        (t, m, kind) => {
          const subject =
            kind === 'jobs'
              ? subjects.jobs(t, m)
              : kind === 'batch jobs'
                ? subjects.jobs(t, m, 'batch')
                : subjects[kind](t, m);
          expect(subjects.parse(subject)).toEqual({
            ok: true,
            kind: kind === 'batch jobs' ? 'jobs' : kind,
            tenant: t,
            model: m,
            priority: kind === 'batch jobs' ? 'batch' : 'interactive',
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['nats.jobs.acme.m', 'does not start with "llm."'],
    ['llm.jobs.acme', 'expected llm.<jobs|dlq|usage|chat|embeddings>.<tenant>.<model token>'],
    [
      'llm.jobs.acme.m.extra',
      'expected llm.<jobs|dlq|usage|chat|embeddings>.<tenant>.<model token>',
    ],
    ['llm.results.b1.x', '"results" is not one of jobs, dlq, usage, chat, embeddings'],
    ['llm.jobs.*.m', 'invalid tenant "*"'],
    ['llm.jobs.acme.>', 'contains ">"'],
    ['llm.jobs.acme.a~2e', 'two uppercase hex digits'],
    ['llm.jobs.acme.~00', 'not a logical model name'],
    ['llm.jobs.acme.', 'cannot decode an empty subject token'],
  ])('explains why %s is not a model subject', (subject, reason) => {
    const parsed = subjects.parse(subject);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
    expect(!parsed.ok && parsed.reason).toContain(JSON.stringify(subject));
  });
});

describe('createSubjects', () => {
  it('puts every subject under a custom root so tests are isolated', () => {
    const test = createSubjects('t1.llm');
    expect(test.jobs('acme', 'm')).toBe('t1.llm.jobs.acme.m');
    expect(test.streamSubjects.usage).toBe('t1.llm.usage.>');
    expect(test.meteringSpend).toBe('t1.llm.metering.spend');
    expect(test.parse('t1.llm.jobs.acme.m')).toMatchObject({ ok: true, model: 'm' });
    expect(test.parse('llm.jobs.acme.m').ok).toBe(false);
  });

  it.each(['', 'llm.', '.llm', 'a..b', 'llm.*', 'l m', 'llm.>'])('refuses the root %j', (root) => {
    expect(() => createSubjects(root)).toThrow(SubjectError);
  });
});
