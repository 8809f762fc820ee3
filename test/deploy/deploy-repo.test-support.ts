import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import { ServiceRoles, type ServiceRole } from '@switchyard/contracts';
import { parseAllDocuments } from 'yaml';

/** The repository root (this file is test/deploy/…). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `value`, or a thrown error saying that `what` is missing. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

/** A command line split into the entry point (its first word) and that process's flags. */
export function splitCommand(command: readonly string[] | undefined): [string, string[]] {
  const [entry = '', ...args] = command ?? [];
  return [entry, args];
}

/** The text of a file, by its path from the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

/** Whether a path from the repository root exists. */
export function repoPathExists(path: string): boolean {
  return existsSync(join(repoRoot, path));
}

/** Every file under `dir` (from the repository root), as paths from the root. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      if (name === 'node_modules') continue;
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, dir));
  return found.sort();
}

/** Every document of a YAML file (compose merge keys resolved); throws on any YAML error. */
export function yamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readRepoFile(path), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    return doc.toJS() as unknown;
  });
}

/** The one document of a YAML file, read as the shape `T` the caller expects. */
export function yamlFile<T>(path: string): T {
  const [doc] = yamlDocuments(path);
  return doc as T;
}

/** The services that have an entry point: `services/<name>/src/main.ts`. */
export function servicesWithMain(): string[] {
  return readdirSync(join(repoRoot, 'services'))
    .filter((name) => repoPathExists(`services/${name}/src/main.ts`))
    .sort();
}

/** One option of a main.ts `parseArgs` call. */
export interface MainOption {
  type: 'string' | 'boolean';
  short?: string;
  /** The default as written in the source (`'4000'`, `env['X'] ?? 'config.yaml'`). */
  default?: string;
}

function bracedBlock(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** The options the `parseArgs` call of `services/<service>/src/main.ts` accepts. */
export function mainOptions(service: string): Map<string, MainOption> {
  const source = readRepoFile(`services/${service}/src/main.ts`);
  const call = source.indexOf('parseArgs(');
  if (call === -1) throw new Error(`services/${service}/src/main.ts: no parseArgs call`);
  const block = bracedBlock(source, source.indexOf('options:', call));
  const options = new Map<string, MainOption>();
  const entry = /['"]?([a-z][\w-]*)['"]?\s*:\s*\{([^{}]*)\}/g;
  for (const [, name = '', body = ''] of block.matchAll(entry)) {
    const type = /type:\s*'(string|boolean)'/.exec(body)?.[1] as MainOption['type'] | undefined;
    if (type === undefined) continue;
    const short = /short:\s*'(\w)'/.exec(body)?.[1];
    const fallback = /default:\s*(.+?)\s*,?\s*$/.exec(body)?.[1];
    options.set(name, {
      type,
      ...(short === undefined ? {} : { short }),
      ...(fallback === undefined ? {} : { default: fallback }),
    });
  }
  return options;
}

/**
 * The problems of running `service` with `args`: flags its main.ts does not accept, string
 * flags without a value. Returns the flags' values by long name.
 */
export function checkArgs(service: string, args: readonly string[]) {
  const options = mainOptions(service);
  const problems: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const long = /^--([\w-]+)$/.exec(arg)?.[1];
    const short = /^-(\w)$/.exec(arg)?.[1];
    const name = long ?? [...options].find(([, option]) => option.short === short)?.[0];
    const option = name === undefined ? undefined : options.get(name);
    if (name === undefined || option === undefined) {
      problems.push(`${service}: ${arg} is not an option of services/${service}/src/main.ts`);
      if (args[i + 1]?.startsWith('-') === false) i += 1;
      continue;
    }
    if (option.type === 'boolean') continue;
    const value = args[i + 1];
    if (value === undefined || value.startsWith('-'))
      problems.push(`${service}: ${arg} needs a value`);
    else values.set(name, value);
    i += 1;
  }
  return { problems, values };
}

/** The value of a port flag of `service` started with `args` (else its default), if any. */
function portFlag(service: string, args: readonly string[], flag: string): number | undefined {
  const given = checkArgs(service, args).values.get(flag);
  const fallback = /^'(\d+)'$/.exec(mainOptions(service).get(flag)?.default ?? '')?.[1];
  const port = given ?? fallback;
  return port === undefined ? undefined : Number(port);
}

/** The port a service listens on when started with `args`: `--port`, else its default. */
export function listenPort(service: string, args: readonly string[]): number | undefined {
  return portFlag(service, args, 'port');
}

/** The port of a service's separate `/metrics` endpoint (`--metrics-port`), if it has one. */
export function metricsPort(service: string, args: readonly string[]): number | undefined {
  return portFlag(service, args, 'metrics-port');
}

/** The entrypoint.sh case arms: service → the command line it execs. */
export function entrypointArms(): Map<string, string> {
  const script = readRepoFile('deploy/entrypoint.sh');
  const arms = new Map<string, string>();
  for (const [, service = '', line = ''] of script.matchAll(/^\s*([\w-]+)\)\s*\n\s*exec (.+)$/gm))
    arms.set(service, line);
  return arms;
}

/** Parses a Switchyard config file of deploy/ with the project's own loader. */
export function loadDeployConfig(path: string, env: Record<string, string>): SwitchyardConfig {
  return parseConfig(readRepoFile(path), { env, source: path }).config;
}

/** Each logical model of a config → the providers of its deployments. */
export function providersByModel(config: SwitchyardConfig): Map<string, Set<string>> {
  return new Map(
    Object.values(config.models).map((model) => [
      model.name,
      new Set(model.deployments.map((deployment) => deployment.provider)),
    ]),
  );
}

/** The non-test TypeScript sources of libs/ and services/ (what the image runs). */
export function productionSources(): string[] {
  return [...filesUnder('libs'), ...filesUnder('services')].filter(
    (path) =>
      path.endsWith('.ts') &&
      path.includes('/src/') &&
      !/\.spec\.ts$|\.test-support\.ts$|spec-helpers/.test(path),
  );
}

/**
 * Whether `image` is the project's image or an official image with a version tag:
 * `nats:2.10-alpine` yes, `nats`, `nats:latest` or an unknown publisher no.
 */
export function isAllowedImage(image: string): boolean {
  if (/^(\$\{SWITCHYARD_IMAGE:-)?switchyard(:[\w.-]+)?\}?$/.test(image)) return true;
  const official =
    /^(node|nats|redis|prom\/prometheus|grafana\/grafana):(v?\d+(\.\d+)*)(-[\w.-]+)?$/;
  return official.test(image);
}

/** The NATS users of the shipped deploy/nats/auth.conf → the variable holding each one's password. */
export function shippedNatsUsers(): Map<string, string> {
  const text = readRepoFile('deploy/nats/auth.conf');
  const users = new Map<string, string>();
  for (const [, user = '', variable = ''] of text.matchAll(
    /^ {4}\{ user: "([^"]+)", password: \$(\w+), /gm,
  )) {
    users.set(user, variable);
  }
  return users;
}

/** The NATS service role of a process started through the image's entry point (`cli` is admin). */
export function roleOfEntry(entry: string): ServiceRole | undefined {
  if (entry === 'cli') return 'admin';
  return ServiceRoles.find((role) => role === entry);
}
