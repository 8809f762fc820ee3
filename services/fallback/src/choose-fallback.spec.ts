import type { ErrorType } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { chooseFallback } from './choose-fallback';
import { hop, specConfig, specJob } from './spec-fixtures.test-support';

const config = specConfig({ maxFallbacks: 3 });

describe('chooseFallback', () => {
  it("takes the failed model's fallbacks in order", () => {
    const job = specJob({ model: 'a', route: [hop('a', 'rate_limit')] });
    expect(chooseFallback(job, 'rate_limit', config)).toEqual({ model: 'b' });
  });

  it('takes request-level fallbacks before the configured ones', () => {
    const job = specJob({ model: 'a', fallbacks: ['e'], route: [hop('a', 'server')] });
    expect(chooseFallback(job, 'server', config)).toEqual({ model: 'e' });
  });

  it('skips request-level fallbacks the config does not know', () => {
    const job = specJob({ model: 'a', fallbacks: ['nope'], route: [hop('a', 'server')] });
    expect(chooseFallback(job, 'server', config)).toEqual({ model: 'b' });
  });

  it('sends context_window_exceeded to context_window_fallbacks', () => {
    const job = specJob({ model: 'a', route: [hop('a', 'context_window_exceeded')] });
    expect(chooseFallback(job, 'context_window_exceeded', config)).toEqual({ model: 'big' });
  });

  it('sends content_policy to content_policy_fallbacks', () => {
    const job = specJob({ model: 'a', route: [hop('a', 'content_policy')] });
    expect(chooseFallback(job, 'content_policy', config)).toEqual({ model: 'safe' });
  });

  it('uses the generic fallbacks when the error type has no list of its own for the model', () => {
    const withE = specConfig({ extra: ['litellm_settings:', '  fallbacks: [{e: [b]}]'] });
    const job = specJob({ model: 'e', route: [hop('e', 'content_policy')] });
    expect(chooseFallback(job, 'content_policy', withE)).toEqual({ model: 'b' });
    const tooLong = specJob({ model: 'e', route: [hop('e', 'context_window_exceeded')] });
    expect(chooseFallback(tooLong, 'context_window_exceeded', withE)).toEqual({ model: 'b' });
  });

  it('uses the default fallbacks for a model without fallbacks', () => {
    const job = specJob({ model: 'c', route: [hop('c', 'overloaded')] });
    expect(chooseFallback(job, 'overloaded', config)).toEqual({ model: 'd' });
  });

  it('uses the default fallbacks for a model the config no longer has', () => {
    const job = specJob({ model: 'removed-model', route: [] });
    expect(chooseFallback(job, 'server', config)).toEqual({ model: 'd' });
  });

  it('never goes back to a model already in the route', () => {
    const job = specJob({
      model: 'b',
      fallbacks: ['a'],
      route: [hop('a', 'rate_limit'), hop('b', 'rate_limit')],
    });
    expect(chooseFallback(job, 'rate_limit', config)).toEqual({ model: 'd' });
  });

  it("goes back along the route to an earlier model's remaining fallbacks", () => {
    const job = specJob({
      model: 'd',
      route: [hop('a', 'rate_limit'), hop('b', 'rate_limit'), hop('d', 'server')],
    });
    expect(chooseFallback(job, 'server', config)).toEqual({ model: 'c' });
  });

  it('is exhausted when every candidate has been tried', () => {
    const job = specJob({
      model: 'c',
      route: [
        hop('a', 'rate_limit'),
        hop('b', 'rate_limit'),
        hop('d', 'server'),
        hop('c', 'server'),
      ],
    });
    const choice = chooseFallback(job, 'server', specConfig({ maxFallbacks: 10 }));
    expect(choice).toEqual({
      exhausted: expect.stringContaining('no fallback left for server') as string,
    });
  });

  it('counts the failed hop even when the worker did not record it', () => {
    const job = specJob({ model: 'a', route: [] });
    expect(chooseFallback(job, 'timeout', specConfig({ maxFallbacks: 1 }))).toEqual({
      model: 'b',
    });
  });

  it('stops after max_fallbacks fallbacks', () => {
    const job = specJob({
      model: 'c',
      route: [hop('a', 'rate_limit'), hop('b', 'server'), hop('c', 'server')],
    });
    expect(chooseFallback(job, 'server', specConfig({ maxFallbacks: 3 }))).toEqual({ model: 'd' });
    expect(chooseFallback(job, 'server', specConfig({ maxFallbacks: 2 }))).toEqual({
      exhausted: expect.stringContaining('max_fallbacks') as string,
    });
  });

  it('never falls back with max_fallbacks 0', () => {
    const job = specJob({ model: 'a', route: [hop('a', 'rate_limit')] });
    expect(chooseFallback(job, 'rate_limit', specConfig({ maxFallbacks: 0 }))).toEqual({
      exhausted: expect.stringContaining('max_fallbacks') as string,
    });
  });

  it.each<ErrorType>(['invalid_job', 'deadline_exceeded', 'budget_exceeded'])(
    'does not fall back on %s, which no model can cure',
    (type) => {
      const job = specJob({ model: 'a', fallbacks: ['e'], route: [hop('a', type)] });
      expect(chooseFallback(job, type, config)).toEqual({
        exhausted: `${type} cannot be cured by another model`,
      });
    },
  );

  it.each<ErrorType>(['auth', 'not_found', 'timeout', 'connection', 'server', 'overloaded'])(
    'falls back on %s',
    (type) => {
      const job = specJob({ model: 'a', route: [hop('a', type)] });
      expect(chooseFallback(job, type, config)).toEqual({ model: 'b' });
    },
  );

  describe('bad_request', () => {
    it('falls back to a model on another provider', () => {
      const job = specJob({ model: 'a', fallbacks: ['c'], route: [hop('a', 'bad_request')] });
      // c is on openai, which already rejected the request; b is on anthropic.
      expect(chooseFallback(job, 'bad_request', config)).toEqual({ model: 'b' });
    });

    it('is exhausted when only providers that rejected the request are left', () => {
      const job = specJob({
        model: 'a',
        route: [hop('d', 'server'), hop('b', 'server'), hop('a', 'bad_request')],
      });
      // a's list is [b, c]: b was tried, c is on openai like a, which rejected the request.
      expect(chooseFallback(job, 'bad_request', specConfig({ maxFallbacks: 10 }))).toEqual({
        exhausted: expect.stringContaining('no fallback left for bad_request') as string,
      });
      expect(chooseFallback(job, 'server', specConfig({ maxFallbacks: 10 }))).toEqual({
        model: 'c',
      });
    });
  });
});
