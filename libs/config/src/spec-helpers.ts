import { ConfigError, type ConfigProblem } from './config-error';
import type { LoadedConfig } from './config.types';
import type { Env } from './env-refs';
import { parseConfig } from './parse-config';

/** Strips the common leading indentation of a template literal, so YAML can be indented in specs. */
export function yaml(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  const text = strings.reduce((out, part, index) => `${out}${part}${values[index] ?? ''}`, '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** Keys for the providers the specs use. */
export const specEnv: Env = {
  OPENAI_API_KEY: 'sk-openai-test',
  ANTHROPIC_API_KEY: 'sk-ant-test',
};

/** A valid model_list to append sections to. */
export const twoModels = yaml`
  model_list:
    - model_name: fast
      litellm_params:
        model: openai/gpt-4o-mini
        api_key: os.environ/OPENAI_API_KEY
    - model_name: careful
      litellm_params:
        model: anthropic/claude-3-opus-20240229
        api_key: os.environ/ANTHROPIC_API_KEY
`;

/** Parses with {@link specEnv} unless told otherwise. */
export function parse(text: string, env: Env = specEnv): LoadedConfig {
  return parseConfig(text, { env });
}

/** The ConfigError that parsing `text` throws; fails the spec when nothing is thrown. */
export function configErrorOf(text: string, env: Env = specEnv): ConfigError {
  try {
    parseConfig(text, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw a ConfigError');
}

/** The problems parsing `text` reports. */
export function problemsOf(text: string, env: Env = specEnv): ConfigProblem[] {
  return configErrorOf(text, env).problems;
}
