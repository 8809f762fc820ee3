import { describe, expect, it } from 'vitest';
import { toErrorCode } from './error-code';

describe('toErrorCode', () => {
  it.each([
    ['RESOURCE_EXHAUSTED', 'resource_exhausted'],
    ['DeploymentNotFound', 'deployment_not_found'],
    ['invalid-api-key', 'invalid_api_key'],
    ['context_length_exceeded', 'context_length_exceeded'],
    ['ResponsibleAIPolicyViolation', 'responsible_ai_policy_violation'],
    ['  overloaded_error ', 'overloaded_error'],
    ['HTTPError', 'http_error'],
  ])('maps %j to %j', (raw, code) => {
    expect(toErrorCode(raw)).toBe(code);
  });

  it.each(['401', '', '___', 404, null, undefined])('has no code for %j', (raw) => {
    expect(toErrorCode(raw)).toBeUndefined();
  });

  it('keeps codes within 64 characters and valid', () => {
    const code = toErrorCode('A'.repeat(30) + 'Bcd'.repeat(30));
    expect(code).toBeDefined();
    expect(code?.length).toBeLessThanOrEqual(64);
    expect(code).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
  });
});
