import { describe, expect, it } from 'vitest';
import { finalErrorReply } from './final-error';
import { attempt, hop, specJob } from './spec-fixtures.test-support';

describe('finalErrorReply', () => {
  it("answers with the last call's error and every deployment tried across the route", () => {
    const job = specJob({
      model: 'b',
      route: [hop('a', 'rate_limit', 'rate_limit'), hop('b', 'server')],
    });
    const reply = finalErrorReply(job, 'server', 'no fallback left');
    expect(reply).toMatchObject({
      object: 'error',
      switchyard: { v: 1, job_id: job.id },
      error: {
        type: 'server',
        code: 'server_code',
        message: 'b failed with server',
        provider: 'anthropic',
        status: 502,
        retryable: true,
      },
    });
    expect(reply.error.deployments_tried).toEqual([
      attempt('a', 'rate_limit'),
      attempt('a', 'rate_limit'),
      attempt('b', 'server'),
    ]);
  });

  it('says which model gave up when no call failed with the dead letter’s type', () => {
    const job = specJob({ model: 'b', route: [hop('a', 'rate_limit'), hop('b')] });
    const reply = finalErrorReply(job, 'deadline_exceeded', 'the job is past its deadline');
    expect(reply.error).toMatchObject({
      type: 'deadline_exceeded',
      code: 'deadline_exceeded',
      status: 408,
      deployments_tried: [attempt('a', 'rate_limit')],
    });
    expect(reply.error.message).toContain('failed on model "b" with deadline_exceeded');
    expect(reply.error.message).toContain('the job is past its deadline');
  });
});
