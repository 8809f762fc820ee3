import type { z } from 'zod';
import type { ConfigProblem } from './config-error';
import { envRefName } from './env-refs';
import type { YamlLocator } from './yaml-locate';
import { formatPath, valueAt, type YamlPath } from './yaml-path';

/** Keys whose values are, or may embed, credentials: never quoted back. */
const secretKeys = new Set(['api_key', 'api_base', 'master_key', 'password', 'url', 'servers']);

/** Whether the value at `path` may hold a credential. */
export function isSecretPath(path: YamlPath): boolean {
  return path.some((segment) => typeof segment === 'string' && secretKeys.has(segment));
}

/** A short, secret-free description of what was found: `"fast"`, `-2`, `a list`. */
export function describeValue(value: unknown, secret: boolean): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (secret) return `a ${typeof value}`;
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

/** Where zod issues of one part of the config came from. */
export interface IssueContext {
  /** Path of the part that was validated. */
  readonly base: YamlPath;
  /** The part as validated (after unknown keys were removed). */
  readonly value: unknown;
  readonly locate: YamlLocator;
  /** Who needs an unset environment variable, e.g. `model "gpt-4o"`; else the parent path. */
  readonly neededBy?: string;
}

type Issue = z.core.$ZodIssue;

/** Expands unions to the branch that matched the value's type, and record keys to their issues. */
function flatten(
  issues: readonly Issue[],
  prefix: YamlPath,
): Array<{ issue: Issue; path: YamlPath }> {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branch = issue.errors.find(
        (errors) =>
          !errors.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
      );
      if (branch) return flatten(branch, path);
    }
    return [{ issue, path }];
  });
}

function messageFor(issue: Issue, path: YamlPath, context: IssueContext): string {
  const relative = path.slice(context.base.length);
  const value = valueAt(context.value, relative);
  if (issue.code === 'invalid_key') {
    const key = path[path.length - 1];
    const inner = issue.issues[0]?.message ?? 'invalid key';
    return `${inner}, got ${describeValue(String(key), false)}`;
  }
  if (issue.code === 'custom' && typeof issue.params?.['envVariable'] === 'string') {
    const neededBy = context.neededBy ?? (formatPath(path.slice(0, -1)) || 'the config');
    return `${issue.message} (needed by ${neededBy})`;
  }
  if (issue.code === 'invalid_type' && value === undefined) return `is missing (${issue.message})`;
  const ref = envRefName(value);
  if (ref !== undefined) {
    return issue.code === 'invalid_type'
      ? `${issue.message}, got "os.environ/${ref}" (os.environ/ works only where a string is expected)`
      : `${issue.message}, got the value of os.environ/${ref}`;
  }
  return `${issue.message}, got ${describeValue(value, isSecretPath(path))}`;
}

/**
 * Turns zod issues (except unknown keys, which become a warning) into problems with the YAML
 * path, line and column, and a message saying what was expected and what was found.
 */
export function issuesToProblems(issues: readonly Issue[], context: IssueContext): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const { issue, path } of flatten(issues, context.base)) {
    if (issue.code === 'unrecognized_keys') continue;
    const message = messageFor(issue, path, context);
    const key = `${formatPath(path)}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const position = context.locate(path, issue.code === 'invalid_key' ? 'key' : 'value');
    problems.push({ path: formatPath(path), ...position, message });
  }
  return problems;
}
