import { describe, expect, it } from 'vitest';
import { withCallDefaults } from './call-defaults';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('withCallDefaults', () => {
  it("fills in the deployment's defaults where the request sets nothing", () => {
    const deployment = { callDefaults: { temperature: 0.2, max_tokens: 256, stop: ['END'] } };
    expect(withCallDefaults({ messages }, deployment)).toEqual({
      messages,
      temperature: 0.2,
      max_tokens: 256,
      stop: ['END'],
    });
  });

  it("keeps the request's own values, null included", () => {
    const deployment = { callDefaults: { temperature: 0.2, max_tokens: 256 } };
    const request = { messages, temperature: 1, max_tokens: null };
    expect(withCallDefaults(request, deployment)).toEqual(request);
  });

  it('returns the request itself when the deployment has no defaults', () => {
    const request = { messages };
    expect(withCallDefaults(request, {})).toBe(request);
  });
});
