import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** An issue with its full path from the root of the decoded value. */
interface LocatedIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * Writes a path the way a reader would type it in code: `request.messages[0].role`,
 * `request.metadata["a b"]`; the root itself is `(root)`.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) {
      out += out.length === 0 ? key : `.${key}`;
    } else out += `[${JSON.stringify(String(key))}]`;
  }
  return out.length === 0 ? '(root)' : out;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** How far into the input a union branch got before failing. */
function depthReached(branch: Issue[]): number {
  return Math.max(...branch.map((issue) => issue.path.length));
}

function isRootTypeMismatch(issue: Issue): boolean {
  return issue.code === 'invalid_type' && issue.path.length === 0;
}

/**
 * A union issue names no field by itself. When some branch matched the input's type, the
 * issues of the branch that got furthest are reported; when none did, one line lists the
 * types the union accepts.
 */
function explainUnion(issue: z.core.$ZodIssueInvalidUnion, at: PropertyKey[]): LocatedIssue[] {
  if (issue.errors.length === 0) return [{ path: at, message: issue.message }];
  const matched = issue.errors.filter((branch) => !branch.every(isRootTypeMismatch));
  if (matched.length === 0) {
    const expected = issue.errors.flat().map((inner) => (inner as { expected?: string }).expected);
    const received = 'input' in issue ? `, received ${kindOf(issue.input)}` : '';
    return [{ path: at, message: `Invalid input: expected ${expected.join(' or ')}${received}` }];
  }
  let best = matched[0] ?? [];
  for (const branch of matched) {
    const deeper = depthReached(branch) > depthReached(best);
    const sameDepthFewer =
      depthReached(branch) === depthReached(best) && branch.length < best.length;
    if (deeper || sameDepthFewer) best = branch;
  }
  return best.flatMap((inner) => locate(inner, at));
}

function locate(issue: Issue, at: PropertyKey[]): LocatedIssue[] {
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union') return explainUnion(issue, path);
  return [{ path, message: issue.message }];
}

/**
 * One readable line naming every failing field, such as
 * `request.messages[0].role: Invalid discriminator value. Expected 'system' | …; deadline: …`.
 * At most `limit` issues are listed, then how many more there are.
 */
export function formatIssues(issues: readonly Issue[], limit = 10): string {
  const located = issues.flatMap((issue) => locate(issue, []));
  const lines = located
    .slice(0, limit)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
  const more = located.length - limit;
  if (more > 0) lines.push(`… and ${more} more`);
  return lines.join('; ');
}

/** The path of the first failing field, for an error's `param`. */
export function firstIssuePath(issues: readonly Issue[]): string | undefined {
  const [first] = issues.flatMap((issue) => locate(issue, []));
  return first === undefined ? undefined : formatIssuePath(first.path);
}
