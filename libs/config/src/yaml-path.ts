/** A path into the parsed YAML: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Renders a path the way the config is written: `model_list[1].litellm_params.rpm`. Keys that
 * are not plain words are quoted: `router_settings.fallbacks[0]["gpt-3.5-turbo"]`.
 */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!plainKey.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The value at `path` in a plain JS tree, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: YamlPath): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** Whether `value` is a plain mapping (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
