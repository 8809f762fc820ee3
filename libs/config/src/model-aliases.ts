import type { ConfigProblem } from './config-error';
import type { ModelAlias } from './config.types';
import type { RawConfig } from './parse-raw';
import { problemAt, type YamlLocator } from './yaml-locate';

/**
 * Reads `router_settings.model_group_alias` (LiteLLM's `alias: model` or
 * `alias: {model, hidden}`). An alias must name a model of model_list and must not be one.
 */
export function resolveModelAliases(
  raw: RawConfig,
  models: ReadonlySet<string>,
  locate: YamlLocator,
): { aliases: Record<string, ModelAlias>; problems: ConfigProblem[] } {
  const aliases = Object.create(null) as Record<string, ModelAlias>;
  const problems: ConfigProblem[] = [];
  const base = ['router_settings', 'model_group_alias'];
  for (const [alias, target] of Object.entries(raw.routerSettings?.model_group_alias ?? {})) {
    const { model, hidden } = typeof target === 'string' ? { model: target } : target;
    if (models.has(alias)) {
      problems.push(
        problemAt(
          locate,
          [...base, alias],
          `"${alias}" is a model of model_list, not an alias`,
          'key',
        ),
      );
    } else if (!models.has(model)) {
      problems.push(
        problemAt(
          locate,
          [...base, alias],
          `names no model of model_list: ${JSON.stringify(model)}`,
        ),
      );
    } else {
      aliases[alias] = { model, hidden: hidden ?? false };
    }
  }
  return { aliases, problems };
}
