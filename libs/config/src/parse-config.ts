import { ConfigError, formatProblem, type ConfigProblem } from './config-error';
import type { LoadedConfig } from './config.types';
import { deepFreeze } from './deep-freeze';
import type { Env } from './env-refs';
import { normalize } from './normalize';
import { parseRaw } from './parse-raw';
import { readYaml } from './read-yaml';
import { unknownKeysWarning } from './unknown-keys';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The environment `os.environ/VAR`, NATS_URL, REDIS_URL and provider keys are read from. */
  readonly env: Env;
  /**
   * The name problems and warnings refer to.
   * @defaultValue 'config.yaml'
   */
  readonly source?: string;
}

function inFileOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * Parses config.yaml text (a LiteLLM proxy config, plus an optional `switchyard:` section) into
 * one deeply frozen typed config. Every problem is collected and thrown together as a
 * ConfigError; keys Switchyard does not support are reported in one warning.
 * @throws ConfigError when the YAML is malformed or any value is invalid.
 */
export function parseConfig(text: string, options: ParseConfigOptions): LoadedConfig {
  const source = options.source ?? 'config.yaml';
  const yaml = readYaml(text, source);
  const parsed = parseRaw(yaml.value, options.env, yaml.locate);
  const normalized = normalize(parsed.raw, options.env, yaml.locate);
  const problems = inFileOrder([...parsed.problems, ...normalized.problems]);
  if (problems.length > 0) throw new ConfigError(source, problems);

  const unknown = unknownKeysWarning(source, parsed.unknownKeys, yaml.locate);
  const warnings = [
    ...yaml.warnings,
    ...(unknown === undefined ? [] : [unknown]),
    ...inFileOrder(normalized.warnings).map((warning) => formatProblem(source, warning)),
  ];
  return { config: deepFreeze(normalized.config), warnings };
}
