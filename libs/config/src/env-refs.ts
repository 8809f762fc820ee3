/** The environment the loader reads instead of `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** LiteLLM's secret reference: a whole string value `os.environ/OPENAI_API_KEY`. */
export const envRefPrefix = 'os.environ/';

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable name when `value` is an `os.environ/VAR` reference, else undefined. */
export function envRefName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(envRefPrefix)) return undefined;
  return value.slice(envRefPrefix.length);
}

/** What resolving a string that may be an `os.environ/VAR` reference gave. */
export type EnvResolution =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly message: string; readonly variable?: string };

/**
 * Resolves `os.environ/VAR` to the value of VAR in `env`; any other string is returned as is.
 * An unset or empty variable is a failure that names the variable (never a value).
 */
export function resolveEnvRef(value: string, env: Env): EnvResolution {
  const name = envRefName(value);
  if (name === undefined) return { ok: true, value };
  if (!variableName.test(name)) {
    return {
      ok: false,
      message: `"${envRefPrefix}" must be followed by an environment variable name, e.g. os.environ/OPENAI_API_KEY`,
    };
  }
  const resolved = env[name];
  if (resolved === undefined || resolved === '') {
    return {
      ok: false,
      variable: name,
      message: `environment variable ${name} is ${resolved === '' ? 'empty' : 'not set'}`,
    };
  }
  return { ok: true, value: resolved };
}
