import type { ConfigProblem } from './config-error';
import type { RawConfig } from './parse-raw';
import type { RawFallbackSpec } from './raw-config.schema';
import { problemAt, type YamlLocator } from './yaml-locate';
import type { YamlPath } from './yaml-path';

/** The three kinds of fallback LiteLLM configures, by their YAML key. */
export const fallbackKinds = [
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
] as const;

type FallbackKind = (typeof fallbackKinds)[number];

/** Fallback lists of one logical model, in the order they are tried. */
export interface ModelFallbacks {
  readonly fallbacks: readonly string[];
  readonly contextWindowFallbacks: readonly string[];
  readonly contentPolicyFallbacks: readonly string[];
}

/** Fallbacks of every model, and the default fallbacks for models without their own. */
export interface ResolvedFallbacks {
  readonly byModel: ReadonlyMap<string, ModelFallbacks>;
  readonly defaultFallbacks: readonly string[];
  readonly problems: ConfigProblem[];
}

interface FallbackRule {
  readonly model: string;
  readonly targets: readonly string[];
  /** Path of the rule's key (the model falling back). */
  readonly path: YamlPath;
}

/** The `*` key: LiteLLM's generic fallback, i.e. default fallbacks. */
const wildcard = '*';

function rulesOf(spec: RawFallbackSpec | undefined, path: YamlPath): FallbackRule[] {
  if (spec === undefined) return [];
  const maps = Array.isArray(spec) ? spec : [spec];
  return maps.flatMap((map, index) =>
    Object.entries(map).map(([model, targets]) => ({
      model,
      targets,
      path: Array.isArray(spec) ? [...path, index, model] : [...path, model],
    })),
  );
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/**
 * Merges fallbacks from router_settings, then litellm_settings, then the model-level
 * `fallback_models`, without duplicates, and checks that every model named exists in
 * model_list and that no model falls back to itself.
 */
export function resolveFallbacks(raw: RawConfig, locate: YamlLocator): ResolvedFallbacks {
  const problems: ConfigProblem[] = [];
  const exists = (name: string) => raw.modelNames.has(name);
  const checkTargets = (targets: readonly string[], path: YamlPath, from?: string) => {
    targets.forEach((target, index) => {
      if (!exists(target)) {
        problems.push(
          problemAt(locate, [...path, index], `fallback model "${target}" is not in model_list`),
        );
      } else if (target === from) {
        problems.push(
          problemAt(locate, [...path, index], `model "${from}" cannot fall back to itself`),
        );
      }
    });
  };

  const perKind = new Map<FallbackKind, Map<string, string[]>>();
  const defaults: string[] = [];
  for (const kind of fallbackKinds) {
    const byModel = new Map<string, string[]>();
    perKind.set(kind, byModel);
    const rules = [
      ...rulesOf(raw.routerSettings?.[kind], ['router_settings', kind]),
      ...rulesOf(raw.litellmSettings?.[kind], ['litellm_settings', kind]),
    ];
    for (const rule of rules) {
      if (rule.model === wildcard) {
        if (kind === 'fallbacks') {
          checkTargets(rule.targets, rule.path);
          defaults.push(...rule.targets);
        } else {
          problems.push(
            problemAt(locate, rule.path, `"${wildcard}" is only supported in fallbacks`, 'key'),
          );
        }
        continue;
      }
      if (!exists(rule.model)) {
        problems.push(
          problemAt(locate, rule.path, `model "${rule.model}" is not in model_list`, 'key'),
        );
        continue;
      }
      checkTargets(rule.targets, rule.path, rule.model);
      byModel.set(rule.model, [...(byModel.get(rule.model) ?? []), ...rule.targets]);
    }
  }

  const modelLevel = new Map<string, string[]>();
  for (const { index, entry } of raw.modelEntries) {
    if (!entry.fallback_models) continue;
    checkTargets(entry.fallback_models, ['model_list', index, 'fallback_models'], entry.model_name);
    modelLevel.set(entry.model_name, [
      ...(modelLevel.get(entry.model_name) ?? []),
      ...entry.fallback_models,
    ]);
  }

  const router = raw.routerSettings;
  for (const key of ['default_fallbacks', 'fallback_models'] as const) {
    const names = router?.[key];
    if (names) checkTargets(names, ['router_settings', key]);
  }
  const defaultFallbacks = unique([
    ...(router?.default_fallbacks ?? []),
    ...(router?.fallback_models ?? []),
    ...defaults,
  ]);

  const byModel = new Map<string, ModelFallbacks>();
  for (const name of raw.modelNames) {
    const of = (kind: FallbackKind) => perKind.get(kind)?.get(name) ?? [];
    byModel.set(name, {
      fallbacks: unique([...of('fallbacks'), ...(modelLevel.get(name) ?? [])]),
      contextWindowFallbacks: unique(of('context_window_fallbacks')),
      contentPolicyFallbacks: unique(of('content_policy_fallbacks')),
    });
  }
  return { byModel, defaultFallbacks, problems };
}
