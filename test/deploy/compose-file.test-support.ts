import { readRepoFile, yamlFile } from './deploy-repo.test-support';

/** The part of a docker-compose service these checks read. */
export interface ComposeService {
  image?: string;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, unknown>;
}

/** The services of deploy/docker-compose.yml (merge keys resolved). */
export const composeServices = yamlFile<{ services: Record<string, ComposeService> }>(
  'deploy/docker-compose.yml',
).services;

/** Every variable deploy/docker-compose.yml requires (`${VAR:?…}` outside comments). */
export const requiredVariables = [
  ...new Set(
    [
      ...readRepoFile('deploy/docker-compose.yml')
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('#'))
        .join('\n')
        .matchAll(/\$\{(\w+):\?/g),
    ].map((match) => match[1] ?? ''),
  ),
];

/** A test value (not a secret) for every required variable: `test-<name in lower case>`. */
export const testSecrets: Record<string, string> = Object.fromEntries(
  requiredVariables.map((name) => [name, `test-${name.toLowerCase()}`]),
);

/**
 * A docker-compose value with its `${VAR}`, `${VAR:-default}` and `${VAR:?message}` replaced
 * as compose does from `env`; a required variable that is unset or empty throws its message.
 */
export function composeInterpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind: string | undefined, text: string | undefined) => {
      const set = env[name];
      if (set !== undefined && set !== '') return set;
      if (kind === '?') throw new Error(`${name}: ${text}`);
      return kind === '-' ? (text ?? '') : '';
    },
  );
}

/** The environment compose gives `service` when the variables of `env` are set. */
export function composeEnvironment(
  service: ComposeService,
  env: Record<string, string> = testSecrets,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      composeInterpolate(String(value), env),
    ]),
  );
}

/** The variable of a compose value that is exactly `${VAR:?message}` (required), else undefined. */
export function requiredVariable(value: string | undefined): string | undefined {
  return /^\$\{(\w+):\?[^}]+\}$/.exec(value ?? '')?.[1];
}

/** `env` without the variable `name`. */
export function withoutVariable(env: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));
}
