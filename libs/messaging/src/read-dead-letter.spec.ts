import { headers as createHeaders } from '@nats-io/nats-core';
import { createSubjects } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { readDeadLetter } from './read-dead-letter';

const subjects = createSubjects('llm');
const encoder = new TextEncoder();
const job = {
  v: 1,
  id: 'dl-1',
  tenant: 'acme',
  model: 'openai/gpt-4o',
  request: { messages: [{ role: 'user', content: 'x' }] },
  submitted_at: 1,
  route: [
    {
      model: 'openai/gpt-4o',
      deployments: [
        { deployment: 'd/0', provider: 'openai', type: 'overloaded', code: 'c', message: 'm' },
      ],
    },
  ],
};

function message(
  body: unknown,
  subject = subjects.dlq('acme', 'openai/gpt-4o'),
  values: Record<string, string> = {},
) {
  const headers = createHeaders();
  for (const [name, value] of Object.entries(values)) headers.set(name, value);
  return { subject, data: encoder.encode(JSON.stringify(body)), headers };
}

describe('readDeadLetter', () => {
  it('reads the job, its headers and its hop id', () => {
    const read = readDeadLetter(
      message(job, undefined, {
        'Switchyard-Error-Type': 'rate_limit',
        'Switchyard-Attempt': '3',
        'Switchyard-Reply-To': '_INBOX.acme.a',
      }),
      subjects,
    );
    expect(read).toMatchObject({
      ok: true,
      job: { id: 'dl-1' },
      errorType: 'rate_limit',
      attempt: 3,
      replyTo: '_INBOX.acme.a',
      msgId: 'acme.dl-1#1',
    });
  });

  it("falls back to the route's last failure when the error type header is missing or unknown", () => {
    const read = readDeadLetter(
      message(job, undefined, { 'Switchyard-Error-Type': 'nonsense' }),
      subjects,
    );
    expect(read).toMatchObject({ ok: true, errorType: 'overloaded', attempt: null, replyTo: null });
  });

  it("refuses a reply subject outside the dead letter's tenant, as a job's, and never gives it", () => {
    for (const replyTo of ['_INBOX.other.a', '_INBOX.a', '$JS.API.STREAM.PURGE.LLM_JOBS']) {
      const read = readDeadLetter(
        message(job, undefined, { 'Switchyard-Reply-To': replyTo }),
        subjects,
      );
      expect(read, replyTo).toMatchObject({ ok: false, jobId: 'dl-1', replyTo: null });
      const broken = readDeadLetter(
        message({ id: 'x' }, undefined, { 'Switchyard-Reply-To': replyTo }),
        subjects,
      );
      expect(broken, replyTo).toMatchObject({ ok: false, replyTo: null });
    }
  });

  it('refuses a body that is not a job, a subject that is not a dead-letter one, and a mismatch', () => {
    expect(readDeadLetter(message({ id: 'x' }), subjects)).toMatchObject({ ok: false });
    expect(
      readDeadLetter(message(job, subjects.jobs('acme', 'openai/gpt-4o')), subjects),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not dlq') as string,
      jobId: 'dl-1',
    });
    expect(
      readDeadLetter(message(job, subjects.dlq('other', 'openai/gpt-4o')), subjects),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('differ') as string,
    });
  });
});
