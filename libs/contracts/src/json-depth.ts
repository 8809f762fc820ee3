/**
 * The deepest nesting of objects and arrays any Switchyard message may have. Real requests
 * (JSON schemas of tools and response formats included) stay far below it; a body nested
 * deeper is refused at the boundary, before anything recursive (schema checks, canonical JSON
 * for the cache key) walks it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests objects and arrays more than `maxDepth` levels deep (a bare scalar is
 * depth 0, `{}` and `[]` depth 1). Iterative, so it never overflows the stack itself.
 */
export function exceedsJsonDepth(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > maxDepth) return true;
    const children = Array.isArray(item) ? item : Object.values(item);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
