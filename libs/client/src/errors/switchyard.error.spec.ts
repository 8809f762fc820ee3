import { errorTypeNames, makeError } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { SwitchyardError, errorClasses, errorFromWire } from './switchyard.error';

const expectedNames = {
  rate_limit: 'RateLimitError',
  overloaded: 'OverloadedError',
  server: 'ServerError',
  timeout: 'TimeoutError',
  connection: 'ConnectionError',
  auth: 'AuthError',
  bad_request: 'BadRequestError',
  not_found: 'NotFoundError',
  context_window_exceeded: 'ContextWindowExceededError',
  content_policy: 'ContentPolicyError',
  budget_exceeded: 'BudgetExceededError',
  invalid_job: 'InvalidJobError',
  deadline_exceeded: 'DeadlineExceededError',
  cancelled: 'CancelledError',
  conflict: 'ConflictError',
} as const;

describe('errorFromWire', () => {
  it.each(errorTypeNames)('gives %s its own class, carrying the wire fields', (type) => {
    const wire = makeError(type, 'some_code', 'what happened', {
      provider: 'anthropic',
      retry_after_ms: 1_500,
      deployments_tried: [
        { deployment: 'd/0', provider: 'anthropic', type, code: 'some_code', message: 'x' },
      ],
    });
    const error = errorFromWire(wire, 'job-9');
    expect(error).toBeInstanceOf(errorClasses[type]);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: expectedNames[type],
      message: 'what happened',
      type,
      code: 'some_code',
      status: wire.status,
      retryable: wire.retryable,
      provider: 'anthropic',
      retryAfterMs: 1_500,
      jobId: 'job-9',
      deploymentsTried: wire.deployments_tried,
      error: wire,
    });
  });

  it('has one distinct class per error type', () => {
    expect(new Set(Object.values(errorClasses)).size).toBe(errorTypeNames.length);
  });
});
