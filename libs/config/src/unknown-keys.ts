import type { YamlLocator } from './yaml-locate';
import { formatPath, type YamlPath } from './yaml-path';

/**
 * The one warning that lists every key Switchyard does not support, in file order:
 * `config.yaml: 2 unsupported keys are ignored: litellm_settings.set_verbose (line 31), ...`.
 * Undefined when there are none.
 */
export function unknownKeysWarning(
  source: string,
  keys: readonly YamlPath[],
  locate: YamlLocator,
): string | undefined {
  if (keys.length === 0) return undefined;
  const located = keys
    .map((path) => ({ path: formatPath(path), line: locate(path, 'key')?.line }))
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const list = located
    .map(({ path, line }) => (line === undefined ? path : `${path} (line ${line})`))
    .join(', ');
  const count = keys.length === 1 ? '1 unsupported key is' : `${keys.length} unsupported keys are`;
  return `${source}: ${count} ignored: ${list}`;
}
