import type { ErrorType } from '@switchyard/contracts';
import type { ConfigProblem } from './config-error';
import type { RouterSettings } from './config.types';
import { secondsToMs } from './durations';
import { defaultNumRetries, defaultTimeoutSeconds } from './normalize-deployments';
import type { RawConfig } from './parse-raw';
import { liteLlmRetryPolicyKeys, type LiteLlmRetryPolicyKey } from './router-options';
import { problemAt, type YamlLocator } from './yaml-locate';

/** LiteLLM's defaults for the router settings Switchyard honours. */
export const routerDefaults = {
  allowedFails: 3,
  cooldownSeconds: 5,
  maxFallbacks: 5,
} as const;

function isLiteLlmKey(key: string): key is LiteLlmRetryPolicyKey {
  return Object.hasOwn(liteLlmRetryPolicyKeys, key);
}

/**
 * Builds the router settings. `defaultFallbacks` comes from the fallback resolution.
 */
export function normalizeRouter(
  raw: RawConfig,
  defaultFallbacks: readonly string[],
  locate: YamlLocator,
): { router: RouterSettings; problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const settings = raw.routerSettings;
  const litellm = raw.litellmSettings;

  if (settings?.num_retries !== undefined && settings.max_retries !== undefined) {
    problems.push(
      problemAt(
        locate,
        ['router_settings', 'max_retries'],
        'both num_retries and its alias max_retries are set; keep one',
        'key',
      ),
    );
  }

  const retryPolicy: Partial<Record<ErrorType, number>> = {};
  const setBy = new Map<ErrorType, string>();
  for (const [key, count] of Object.entries(settings?.retry_policy ?? {})) {
    if (count === undefined) continue;
    const type: ErrorType = isLiteLlmKey(key) ? liteLlmRetryPolicyKeys[key] : (key as ErrorType);
    const previous = setBy.get(type);
    if (previous !== undefined) {
      problems.push(
        problemAt(
          locate,
          ['router_settings', 'retry_policy', key],
          `retries for ${type} are already set by ${previous}; keep one`,
          'key',
        ),
      );
      continue;
    }
    setBy.set(type, key);
    retryPolicy[type] = count;
  }

  const routingStrategy = settings?.routing_strategy ?? 'simple-shuffle';

  const router: RouterSettings = {
    numRetries:
      settings?.num_retries ?? settings?.max_retries ?? litellm?.num_retries ?? defaultNumRetries,
    retryPolicy,
    allowedFails: settings?.allowed_fails ?? routerDefaults.allowedFails,
    cooldownMs: secondsToMs(settings?.cooldown_time ?? routerDefaults.cooldownSeconds),
    defaultFallbacks,
    maxFallbacks: settings?.max_fallbacks ?? routerDefaults.maxFallbacks,
    timeoutMs: secondsToMs(settings?.timeout ?? litellm?.request_timeout ?? defaultTimeoutSeconds),
    routingStrategy,
    enablePreCallChecks: settings?.enable_pre_call_checks ?? false,
  };
  return { router, problems, warnings };
}
