import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { formatIssuePath, formatIssues } from './issues';

describe('formatIssuePath', () => {
  it.each([
    [[], '(root)'],
    [['request', 'messages', 0, 'role'], 'request.messages[0].role'],
    [['metadata', 'a b'], 'metadata["a b"]'],
    [[0, 'x'], '[0].x'],
    [['logit_bias', '50256'], 'logit_bias["50256"]'],
  ])('writes %j as %s', (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});

describe('formatIssues', () => {
  const schema = z.object({
    a: z.union([z.string(), z.number()]),
    b: z.union([z.literal('x'), z.object({ deep: z.object({ name: z.string() }) })]),
  });

  function text(value: unknown): string {
    const parsed = schema.safeParse(value, { reportInput: true });
    return parsed.success ? 'ok' : formatIssues(parsed.error.issues);
  }

  it('lists the accepted types when no branch of a union matched', () => {
    expect(text({ a: true, b: 'x' })).toBe(
      'a: Invalid input: expected string or number, received boolean',
    );
  });

  it('reports the issues of the union branch that got furthest', () => {
    expect(text({ a: 'ok', b: { deep: {} } })).toBe(
      'b.deep.name: Invalid input: expected string, received undefined',
    );
  });

  it('caps the list', () => {
    const many = z.array(z.string());
    const parsed = many.safeParse([1, 2, 3, 4]);
    expect(formatIssues(parsed.error?.issues ?? [], 2)).toBe(
      '[0]: Invalid input: expected string, received number; [1]: Invalid input: expected string, received number; … and 2 more',
    );
  });
});
