import type { SwitchyardConfig } from '@switchyard/config';

/** One entry of `GET /v1/models`, in OpenAI's shape. */
export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** Epoch seconds when this process started: the `created` of every model. */
const startedAt = Math.floor(Date.now() / 1000);

/**
 * The model names a request may give, each with the logical model it means: every logical
 * model as itself, and every `model_group_alias` (hidden ones too) as the model it stands for.
 */
export function modelNames(config: SwitchyardConfig): ReadonlyMap<string, string> {
  return new Map([
    ...Object.keys(config.models).map((model): [string, string] => [model, model]),
    ...Object.entries(config.modelAliases).map(([alias, { model }]): [string, string] => [
      alias,
      model,
    ]),
  ]);
}

/**
 * The logical models the caller may use, in config order, then the aliases that are not hidden
 * of the models it may use, as OpenAI lists models.
 */
export function listModels(
  config: SwitchyardConfig,
  mayUse: (model: string) => boolean,
): { object: 'list'; data: ModelEntry[] } {
  const aliases = Object.entries(config.modelAliases)
    .filter(([, alias]) => !alias.hidden && mayUse(alias.model))
    .map(([name]) => name);
  const data = [...Object.keys(config.models).filter(mayUse), ...aliases].map((id) => ({
    id,
    object: 'model' as const,
    created: startedAt,
    owned_by: 'switchyard',
  }));
  return { object: 'list', data };
}
