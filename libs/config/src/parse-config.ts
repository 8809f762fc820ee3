import type { AwsSharedFiles } from './aws-shared-files';
import { ConfigError, formatProblem, type ConfigProblem } from './config-error';
import type { LoadedConfig } from './config.types';
import { deepFreeze } from './deep-freeze';
import type { Env } from './env-refs';
import { normalize } from './normalize';
import { parseRaw, type RawParseResult } from './parse-raw';
import { readYaml, type YamlTree } from './read-yaml';
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
  /**
   * The AWS shared credentials and config files, for Bedrock deployments that sign with a
   * profile (see readAwsSharedFiles; loadConfig reads them when a deployment may need them).
   * Absent: no profile can be used, and one named is a problem.
   */
  readonly awsSharedFiles?: AwsSharedFiles;
}

/** config.yaml read and validated, before normalization (see finishConfig). */
export interface ConfigDraft {
  readonly source: string;
  readonly yaml: YamlTree;
  readonly parsed: RawParseResult;
}

function inFileOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * The first half of parseConfig: the YAML read and each part validated.
 * @throws ConfigError when the YAML is malformed.
 */
export function startConfig(text: string, options: ParseConfigOptions): ConfigDraft {
  const source = options.source ?? 'config.yaml';
  const yaml = readYaml(text, source);
  return { source, yaml, parsed: parseRaw(yaml.value, options.env, yaml.locate) };
}

/**
 * The second half of parseConfig: normalization, every problem thrown together, warnings.
 * @throws ConfigError when any value is invalid.
 */
export function finishConfig(draft: ConfigDraft, options: ParseConfigOptions): LoadedConfig {
  const { source, yaml, parsed } = draft;
  const normalized = normalize(parsed.raw, options.env, yaml.locate, options.awsSharedFiles);
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

/**
 * Parses config.yaml text (a LiteLLM proxy config, plus an optional `switchyard:` section) into
 * one deeply frozen typed config. Every problem is collected and thrown together as a
 * ConfigError; keys Switchyard does not support are reported in one warning.
 * @throws ConfigError when the YAML is malformed or any value is invalid.
 */
export function parseConfig(text: string, options: ParseConfigOptions): LoadedConfig {
  return finishConfig(startConfig(text, options), options);
}
