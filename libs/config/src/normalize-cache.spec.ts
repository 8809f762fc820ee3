import { describe, expect, it } from 'vitest';
import { parse, problemsOf, specEnv, twoModels } from './spec-helpers';

const withCache = (settings: string) => `${twoModels}litellm_settings:\n${settings}`;

describe('cache settings', () => {
  it('is off unless litellm_settings.cache is true', () => {
    expect(parse(twoModels).config.cache).toEqual({
      enabled: false,
      mode: 'default_on',
      ttlMs: 3_600_000,
    });
    expect(parse(withCache('  cache: true\n')).config.cache).toEqual({
      enabled: true,
      mode: 'default_on',
      ttlMs: 3_600_000,
    });
  });

  it("reads LiteLLM's cache_params.mode, and refuses a mode it does not know", () => {
    const off = parse(withCache('  cache: true\n  cache_params: { mode: default_off }\n'));
    expect(off.config.cache.mode).toBe('default_off');
    expect(off.warnings).toEqual([]);
    expect(problemsOf(withCache('  cache: true\n  cache_params: { mode: sometimes }\n'))).toEqual([
      {
        path: 'litellm_settings.cache_params.mode',
        line: 12,
        column: 25,
        message: 'expected one of default_on, default_off, got "sometimes"',
      },
    ]);
  });

  it('builds the Redis URL from host, port and password', () => {
    const { config } = parse(
      withCache(
        '  cache: true\n  cache_params: { host: os.environ/REDIS_HOST, port: os.environ/REDIS_PORT, password: os.environ/REDIS_PASSWORD, ttl: 0.5 }\n',
      ),
      { ...specEnv, REDIS_HOST: 'cache', REDIS_PORT: '6390', REDIS_PASSWORD: 'a/b' },
    );
    expect(config.cache).toEqual({
      enabled: true,
      mode: 'default_on',
      ttlMs: 500,
      redisUrl: 'redis://:a%2Fb@cache:6390',
    });
    const defaults = parse(
      withCache('  cache: true\n  cache_params: { type: redis, host: ::1 }\n'),
    );
    expect(defaults.config.cache.redisUrl).toBe('redis://[::1]:6379');
  });

  it('supports only the redis cache type', () => {
    expect(problemsOf(withCache('  cache: true\n  cache_params: { type: s3 }\n'))).toEqual([
      {
        path: 'litellm_settings.cache_params.type',
        line: 12,
        column: 25,
        message: 'unsupported cache type; Switchyard supports only "redis", got "s3"',
      },
    ]);
  });

  it('needs a host for a port or password, and a host that is not a URL', () => {
    const problems = problemsOf(
      withCache('  cache: true\n  cache_params: { port: 1, password: x }\n'),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'litellm_settings.cache_params.port: needs cache_params.host as well',
      'litellm_settings.cache_params.password: needs cache_params.host as well',
    ]);
    expect(problemsOf(withCache('  cache_params: { host: "redis://x" }\n'))[0]?.message).toBe(
      'expected a host name (use port and password for the rest), not a URL',
    );
  });

  it('warns when cache_params is set but the cache is not on', () => {
    const { warnings } = parse(withCache('  cache_params: { namespace: ns }\n'));
    expect(warnings).toEqual([
      'config.yaml:11:3 litellm_settings.cache_params: cache_params is set but litellm_settings.cache is not true, so responses are not cached',
    ]);
  });

  it('reads drop_params', () => {
    expect(parse(withCache('  drop_params: true\n')).config.dropParams).toBe(true);
    expect(parse(twoModels).config.dropParams).toBe(false);
  });
});
