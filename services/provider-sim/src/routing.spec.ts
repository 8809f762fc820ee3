import { describe, expect, it } from 'vitest';
import type { Route } from './providers/provider';
import { resolveRoute } from './routing';

function provider(method: string, url: string) {
  const result = resolveRoute(method, url);
  if (result.kind !== 'provider')
    throw new Error(`${url} did not route to a provider: ${result.kind}`);
  const route: Partial<Route> = { ...result.route };
  delete route.query;
  return route;
}

describe('resolveRoute', () => {
  it.each([
    ['/v1/chat/completions', 'openai'],
    ['/openai/v1/chat/completions', 'openai'],
    ['/openai/chat/completions', 'openai'],
    ['/chat/completions', 'openai'],
    ['/v1/messages', 'anthropic'],
    ['/anthropic/v1/messages', 'anthropic'],
    ['/anthropic/messages', 'anthropic'],
    ['/v2/chat', 'cohere'],
    ['/cohere/v2/chat', 'cohere'],
  ])('routes POST %s to %s', (url, name) => {
    expect(provider('POST', url)).toEqual({ provider: name });
  });

  it('routes Azure deployments with their api-version', () => {
    expect(
      provider('POST', '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21'),
    ).toEqual({
      provider: 'azure',
      pathModel: 'gpt-4o-prod',
      apiVersion: '2024-10-21',
    });
    expect(provider('POST', '/azure/openai/deployments/x/chat/completions')).toEqual({
      provider: 'azure',
      pathModel: 'x',
    });
  });

  it('routes Gemini methods, models and the SSE flag', () => {
    expect(provider('POST', '/v1beta/models/gemini-2.5-flash:generateContent?key=k')).toEqual({
      provider: 'gemini',
      pathModel: 'gemini-2.5-flash',
      stream: false,
      sse: false,
    });
    expect(
      provider('POST', '/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse'),
    ).toEqual({
      provider: 'gemini',
      pathModel: 'gemini-2.5-pro',
      stream: true,
      sse: true,
    });
  });

  it('takes a /d/<deployment> prefix before any of them', () => {
    expect(provider('POST', '/d/anthropic-primary/v1/messages')).toEqual({
      provider: 'anthropic',
      deployment: 'anthropic-primary',
    });
    expect(provider('POST', '/d/eu%20west/gemini/v1/models/m:generateContent')).toMatchObject({
      provider: 'gemini',
      deployment: 'eu west',
    });
    expect(
      provider('POST', '/d/az/openai/deployments/d1/chat/completions?api-version=v'),
    ).toMatchObject({
      provider: 'azure',
      deployment: 'az',
      pathModel: 'd1',
    });
  });

  it('routes Vertex AI :predict of a Google model as embeddings, and not an Anthropic one', () => {
    expect(
      provider(
        'POST',
        '/d/vx/vertex/v1/projects/p/locations/us-central1/publishers/google/models/text-embedding-005:predict',
      ),
    ).toMatchObject({
      provider: 'vertex_gemini',
      deployment: 'vx',
      pathModel: 'text-embedding-005',
      embeddings: true,
      stream: false,
    });
    expect(
      resolveRoute(
        'POST',
        '/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022:predict',
      ),
    ).toMatchObject({ kind: 'unknown', provider: 'vertex_anthropic' });
  });

  it('sends the control API and unknown paths elsewhere, guessing the error shape', () => {
    expect(resolveRoute('GET', '/_sim/stats')).toMatchObject({
      kind: 'control',
      path: '/_sim/stats',
    });
    expect(resolveRoute('GET', '/v1/chat/completions')).toMatchObject({
      kind: 'unknown',
      provider: 'openai',
    });
    expect(resolveRoute('POST', '/anthropic/v1/complete')).toMatchObject({
      kind: 'unknown',
      provider: 'anthropic',
    });
    expect(resolveRoute('POST', '/v1beta/models/m:countTokens')).toMatchObject({
      kind: 'unknown',
      provider: 'gemini',
    });
    expect(resolveRoute('POST', '/d/x/nowhere')).toMatchObject({
      kind: 'unknown',
      deployment: 'x',
    });
  });
});
