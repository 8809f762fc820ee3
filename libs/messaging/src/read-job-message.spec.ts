import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { createSubjects } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { makeJob } from './job-fixtures.test-support';
import { readJobMessage } from './read-job-message';

const subjects = createSubjects('t.llm');
const encoder = new TextEncoder();

function message(
  body: unknown,
  hdrs: Record<string, string> = { 'Switchyard-Reply-To': '_INBOX.default.abc' },
  subject = subjects.jobs('default', 'fast-triage-model'),
) {
  const headers: MsgHdrs = createHeaders();
  for (const [key, value] of Object.entries(hdrs)) headers.set(key, value);
  const data = encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));
  return { subject, data, headers };
}

describe('readJobMessage', () => {
  it('reads a valid job with its tenant, reply subject and (root) trace context', () => {
    const job = makeJob();
    const read = readJobMessage(message(job), subjects);
    expect(read).toMatchObject({ ok: true, tenant: 'default', replyTo: '_INBOX.default.abc' });
    expect(read.ok && read.job.id).toBe(job.id);
    expect(read.traceContext).toBe(ROOT_CONTEXT);
  });

  it('turns malformed JSON into an invalid_job error and keeps the reply subject', () => {
    const read = readJobMessage(message('{"v":1,'), subjects);
    expect(read).toMatchObject({
      ok: false,
      replyTo: '_INBOX.default.abc',
      jobId: null,
      error: { type: 'invalid_job', code: 'malformed_json', retryable: false },
    });
  });

  it('turns a schema-invalid job into an error that names the field and keeps the id', () => {
    const read = readJobMessage(message({ ...makeJob({ id: 'j-1' }), request: {} }), subjects);
    expect(read).toMatchObject({
      ok: false,
      jobId: 'j-1',
      replyTo: '_INBOX.default.abc',
      error: { code: 'schema_mismatch', param: 'request.messages' },
    });
  });

  it('trusts the subject over the body for the tenant and the model', () => {
    const otherTenant = readJobMessage(message(makeJob({ tenant: 'acme' })), subjects);
    expect(otherTenant).toMatchObject({
      ok: false,
      tenant: 'default',
      error: { code: 'subject_mismatch' },
    });
    const otherModel = readJobMessage(message(makeJob({ model: 'other' })), subjects);
    expect(otherModel).toMatchObject({ ok: false, error: { code: 'subject_mismatch' } });
    const notJobs = readJobMessage(
      message(makeJob(), undefined, subjects.dlq('default', 'fast-triage-model')),
      subjects,
    );
    expect(notJobs).toMatchObject({ ok: false, tenant: null, error: { code: 'subject_mismatch' } });
  });

  it('refuses a reply subject one cannot publish to', () => {
    const read = readJobMessage(message(makeJob(), { 'Switchyard-Reply-To': 'a.*' }), subjects);
    expect(read).toMatchObject({
      ok: false,
      replyTo: null,
      error: { code: 'invalid_reply_to' },
    });
  });

  it("refuses a reply subject that is not the tenant's own inbox or results, and drops it", () => {
    const job = makeJob();
    const hostile = [
      subjects.results('globex', 'batch-1'),
      subjects.jobs('globex', 'fast-triage-model'),
      subjects.usage('default', 'fast-triage-model'),
      '$JS.API.STREAM.PURGE.LLM_JOBS',
      '$JS.API.STREAM.DELETE.LLM_USAGE',
      '_INBOX.globex.abc',
      '_INBOX.abc',
    ];
    for (const replyTo of hostile) {
      const read = readJobMessage(message(job, { 'Switchyard-Reply-To': replyTo }), subjects);
      expect(read, replyTo).toMatchObject({
        ok: false,
        replyTo: null,
        jobId: job.id,
        error: { type: 'invalid_job', code: 'reply_to_not_allowed' },
      });
      // However broken the job, its error is never sent to a subject of someone else.
      for (const broken of ['{"v":1,', { ...job, v: 99 }, { ...job, tenant: 'globex' }]) {
        const read = readJobMessage(message(broken, { 'Switchyard-Reply-To': replyTo }), subjects);
        expect(read, `${replyTo} ${JSON.stringify(broken)}`).toMatchObject({
          ok: false,
          replyTo: null,
        });
      }
      const onOtherSubject = readJobMessage(
        message(job, { 'Switchyard-Reply-To': replyTo }, subjects.dlq('default', 'x')),
        subjects,
      );
      expect(onOtherSubject.replyTo).toBeNull();
    }
    const own = subjects.results('default', 'batch-1');
    expect(readJobMessage(message(job, { 'Switchyard-Reply-To': own }), subjects)).toMatchObject({
      ok: true,
      replyTo: own,
    });
  });

  it('refuses a contract version it does not know from the header', () => {
    const read = readJobMessage(
      message(makeJob(), { 'Switchyard-Reply-To': '_INBOX.default.x', 'Switchyard-Contract': '2' }),
      subjects,
    );
    expect(read).toMatchObject({
      ok: false,
      replyTo: '_INBOX.default.x',
      error: { code: 'unsupported_contract_version' },
    });
  });

  it('reads headers whatever their case, and a job with no reply subject', () => {
    expect(
      readJobMessage(
        message(makeJob(), { 'switchyard-reply-to': '_INBOX.default.lower' }),
        subjects,
      ),
    ).toMatchObject({ ok: true, replyTo: '_INBOX.default.lower' });
    expect(readJobMessage(message(makeJob(), {}), subjects)).toMatchObject({
      ok: true,
      replyTo: null,
    });
  });
});
