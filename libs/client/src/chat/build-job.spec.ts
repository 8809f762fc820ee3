import { completionJobSchema, requestHash } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { buildJob } from './build-job';

describe('buildJob', () => {
  it('moves model and the switchyard extras out of the request body', () => {
    const job = buildJob(
      {
        model: 'fast-triage-model',
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0.2,
        service_tier: 'flex',
        switchyard: {
          job_id: 'j-1',
          deadline: 2_000,
          cache: { no_store: true },
          fallbacks: ['careful-model'],
          tags: ['team:search'],
          key_id: 'key_0123456789abcdef',
          priority: 'batch',
        },
      },
      { tenant: 'acme', now: 1_000 },
    );
    expect(job).toEqual({
      v: 1,
      id: 'j-1',
      tenant: 'acme',
      key_id: 'key_0123456789abcdef',
      model: 'fast-triage-model',
      request: {
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0.2,
        service_tier: 'flex',
      },
      submitted_at: 1_000,
      deadline: 2_000,
      cache: { no_store: true },
      fallbacks: ['careful-model'],
      tags: ['team:search'],
      priority: 'batch',
      // The caller chose the id: an idempotency key, with the request's fingerprint.
      request_hash: requestHash('fast-triage-model', {
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0.2,
        service_tier: 'flex',
      }),
    });
    expect(completionJobSchema.safeParse(job).success).toBe(true);
  });

  it('gives each job a fresh valid id when none is given, and keeps stream in the body', () => {
    const params = {
      model: 'm',
      messages: [{ role: 'user' as const, content: 'hi' }],
      stream: true,
    };
    const a = buildJob(params, { tenant: 'default' });
    const b = buildJob(params, { tenant: 'default' });
    expect(a.id).not.toBe(b.id);
    expect(a.request).toEqual({ messages: params.messages, stream: true });
    expect(completionJobSchema.safeParse(a).success).toBe(true);
  });
});

describe('buildJob deadlines', () => {
  const params = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('gives every job the end of its caller’s wait as its deadline', () => {
    expect(buildJob(params, { tenant: 't', now: 1_000, waitMs: 600_000 }).deadline).toBe(601_000);
  });

  it('keeps the call’s own deadline when it is earlier, and the wait’s when it is later', () => {
    const early = { ...params, switchyard: { deadline: 5_000 } };
    expect(buildJob(early, { tenant: 't', now: 1_000, waitMs: 600_000 }).deadline).toBe(5_000);
    const late = { ...params, switchyard: { deadline: 9_000_000 } };
    expect(buildJob(late, { tenant: 't', now: 1_000, waitMs: 600_000 }).deadline).toBe(601_000);
  });

  it('sets none for a job whose answer nobody waits for', () => {
    expect(buildJob(params, { tenant: 't', now: 1_000 })).not.toHaveProperty('deadline');
  });
});
