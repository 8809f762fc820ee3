import type { AwsSharedFiles } from './aws-shared-files';
import type { ConfigProblem } from './config-error';
import type { LogicalModel, SwitchyardConfig } from './config.types';
import type { Env } from './env-refs';
import { resolveFallbacks } from './fallbacks';
import { resolveModelAliases } from './model-aliases';
import { normalizeCache } from './normalize-cache';
import { normalizeDeployments } from './normalize-deployments';
import { normalizeRouter } from './normalize-router';
import { normalizeSwitchyard } from './normalize-switchyard';
import type { RawConfig } from './parse-raw';
import { problemAt, type YamlLocator } from './yaml-locate';

/** The typed config, or the problems found while building it, and warnings either way. */
export interface NormalizeResult {
  readonly config: SwitchyardConfig;
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
}

/**
 * Turns the validated parts of config.yaml into the camelCase, millisecond-based typed config
 * and runs the checks that span several parts (providers, ids, fallback targets). `awsFiles`
 * are the AWS shared files Bedrock profiles are looked up in (undefined: not read). The config
 * is only meaningful when `problems` is empty.
 */
export function normalize(
  raw: RawConfig,
  env: Env,
  locate: YamlLocator,
  awsFiles: AwsSharedFiles | undefined,
): NormalizeResult {
  const deployments = normalizeDeployments(raw, env, locate, awsFiles);
  const fallbacks = resolveFallbacks(raw, locate);
  const router = normalizeRouter(raw, fallbacks.defaultFallbacks, locate);
  const cache = normalizeCache(raw, locate);
  const switchyard = normalizeSwitchyard(raw, env, locate);

  const models = Object.create(null) as Record<string, LogicalModel>;
  for (const deployment of deployments.deployments) {
    const existing = models[deployment.modelName];
    if (existing) {
      models[deployment.modelName] = {
        ...existing,
        deployments: [...existing.deployments, deployment],
      };
      continue;
    }
    const own = fallbacks.byModel.get(deployment.modelName);
    models[deployment.modelName] = {
      name: deployment.modelName,
      deployments: [deployment],
      fallbacks: own?.fallbacks ?? [],
      contextWindowFallbacks: own?.contextWindowFallbacks ?? [],
      contentPolicyFallbacks: own?.contentPolicyFallbacks ?? [],
    };
  }

  const unknownInFlight = Object.keys(switchyard.switchyard.worker.maxInFlightByModel)
    .filter((name) => !Object.hasOwn(models, name))
    .map((name) =>
      problemAt(
        locate,
        ['switchyard', 'worker', 'max_in_flight_by_model', name],
        `names no model of model_list: ${JSON.stringify(name)}`,
      ),
    );

  const aliases = resolveModelAliases(raw, new Set(Object.keys(models)), locate);
  const masterKey = raw.generalSettings?.master_key;
  const config: SwitchyardConfig = {
    models,
    modelAliases: aliases.aliases,
    router: router.router,
    cache: cache.cache,
    dropParams: raw.litellmSettings?.drop_params ?? false,
    general: masterKey === undefined ? {} : { masterKey },
    switchyard: switchyard.switchyard,
  };
  return {
    config,
    problems: [
      ...deployments.problems,
      ...fallbacks.problems,
      ...router.problems,
      ...cache.problems,
      ...switchyard.problems,
      ...unknownInFlight,
      ...aliases.problems,
    ],
    warnings: [
      ...deployments.warnings,
      ...router.warnings,
      ...cache.warnings,
      ...switchyard.warnings,
    ],
  };
}
