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

/** The logical models the caller may use, in config order, as OpenAI lists models. */
export function listModels(
  config: SwitchyardConfig,
  mayUse: (model: string) => boolean,
): { object: 'list'; data: ModelEntry[] } {
  const data = Object.keys(config.models)
    .filter(mayUse)
    .map((id) => ({ id, object: 'model' as const, created: startedAt, owned_by: 'switchyard' }));
  return { object: 'list', data };
}
