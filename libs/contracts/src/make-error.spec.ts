import { describe, expect, it } from 'vitest';
import { ErrorTypes, errorTypeNames } from './error-types';
import { switchyardErrorSchema } from './error.schema';
import { formatIssues } from './issues';
import { makeError, makeErrorReply } from './make-error';
import { errorReplySchema } from './reply.schema';
import { validErrorReply } from './wire-fixtures';

describe('makeError', () => {
  it.each(errorTypeNames)('fills status and retryable of %s from the ErrorTypes table', (type) => {
    const error = makeError(type, 'some_code', 'something failed');
    expect(error.status).toBe(ErrorTypes[type].status);
    expect(error.retryable).toBe(ErrorTypes[type].retryable);
    expect(switchyardErrorSchema.parse(error)).toEqual(error);
  });

  it('classifies the retryable and terminal types as DESIGN.md says', () => {
    expect(makeError('rate_limit', 'rate_limit_exceeded', 'm')).toMatchObject({
      status: 429,
      retryable: true,
    });
    expect(makeError('context_window_exceeded', 'context_length_exceeded', 'm')).toMatchObject({
      status: 400,
      retryable: false,
    });
    expect(makeError('deadline_exceeded', 'deadline_exceeded', 'm').status).toBe(408);
  });

  it('keeps the extras and the deployments tried', () => {
    const tried = errorReplySchema.parse(validErrorReply()).error.deployments_tried;
    const error = makeError('rate_limit', 'rate_limit_exceeded', 'slow down', {
      provider: 'openai',
      retry_after_ms: 20_000,
      param: 'messages',
      deployments_tried: tried,
    });
    expect(error).toEqual({
      type: 'rate_limit',
      code: 'rate_limit_exceeded',
      message: 'slow down',
      provider: 'openai',
      status: 429,
      retryable: true,
      param: 'messages',
      retry_after_ms: 20_000,
      deployments_tried: tried,
    });
  });

  it('gives an error without a provider message a readable one', () => {
    expect(makeError('server', 'upstream_error', '').message).toBe('server: upstream_error');
  });

  it('builds an error reply that decodes', () => {
    const reply = makeErrorReply(makeError('not_found', 'model_not_found', 'no model x'), 'j1');
    expect(errorReplySchema.parse(reply)).toEqual(reply);
    expect(reply.switchyard).toEqual({ v: 1, job_id: 'j1' });
    expect(errorReplySchema.parse(makeErrorReply(reply.error, null)).switchyard.job_id).toBeNull();
  });
});

describe('switchyardErrorSchema', () => {
  it('parses a provider error with the deployments tried', () => {
    expect(errorReplySchema.parse(validErrorReply())).toEqual(validErrorReply());
  });

  it.each([
    [{ type: 'teapot' }, 'error.type: Invalid option: expected one of "rate_limit"'],
    [{ code: 'Rate Limit' }, 'error.code: must be lower snake_case'],
    [{ message: '' }, 'error.message: Too small'],
    [{ status: 42 }, 'error.status: Too small'],
    [{ deployments_tried: undefined }, 'error.deployments_tried: Invalid input: expected array'],
    [
      { deployments_tried: [{ deployment: 'd', provider: 'p', type: 'server', code: 'x' }] },
      'error.deployments_tried[0].message: Invalid input: expected string',
    ],
  ])('rejects an error with %j', (patch, message) => {
    const reply = validErrorReply();
    const parsed = errorReplySchema.safeParse({ ...reply, error: { ...reply.error, ...patch } });
    expect(parsed.success).toBe(false);
    expect(formatIssues(parsed.error?.issues ?? [])).toContain(message);
  });
});
