import type { ConfigProblem } from './config-error';
import type { CacheSettings } from './config.types';
import { secondsToMs } from './durations';
import type { RawConfig } from './parse-raw';
import { problemAt, type YamlLocator } from './yaml-locate';

/** Port used when `cache_params.host` is given without a port. */
const defaultRedisPort = 6379;

/** How long a cache entry lives when `cache_params.ttl` is not set: one hour. */
export const defaultCacheTtlMs = 3_600_000;

function redisUrl(host: string, port: number, password: string | undefined): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  return `redis://${auth}${hostPart}:${port}`;
}

/** Builds the cache settings from `litellm_settings.cache` and `cache_params`. */
export function normalizeCache(
  raw: RawConfig,
  locate: YamlLocator,
): { cache: CacheSettings; problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const settings = raw.litellmSettings;
  const params = settings?.cache_params;
  const enabled = settings?.cache ?? false;
  const base = ['litellm_settings', 'cache_params'];

  if (params && !enabled) {
    warnings.push(
      problemAt(
        locate,
        base,
        'cache_params is set but litellm_settings.cache is not true, so responses are not cached',
        'key',
      ),
    );
  }

  let url: string | undefined;
  if (params?.host !== undefined) {
    if (params.host.includes('://')) {
      problems.push(
        problemAt(
          locate,
          [...base, 'host'],
          'expected a host name (use port and password for the rest), not a URL',
        ),
      );
    } else {
      url = redisUrl(params.host, params.port ?? defaultRedisPort, params.password);
    }
  } else {
    for (const key of ['port', 'password'] as const) {
      if (params?.[key] !== undefined) {
        problems.push(problemAt(locate, [...base, key], 'needs cache_params.host as well', 'key'));
      }
    }
  }

  const cache: CacheSettings = {
    enabled,
    mode: params?.mode ?? 'default_on',
    ttlMs: params?.ttl === undefined ? defaultCacheTtlMs : secondsToMs(params.ttl),
    ...(params?.namespace === undefined ? {} : { namespace: params.namespace }),
    ...(url === undefined ? {} : { redisUrl: url }),
  };
  return { cache, problems, warnings };
}
