import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigProblem } from './config-error';
import { formatPath, type YamlPath } from './yaml-path';

/** A 1-based line and column in the YAML text. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/** Finds where a path of the parsed tree is written in the YAML text. */
export type YamlLocator = (path: YamlPath, target?: 'value' | 'key') => YamlPosition | undefined;

/**
 * A locator over a parsed document. For `target: 'value'` it answers the position of the value
 * at `path`; for `'key'`, the position of the mapping key that holds it. When the path goes
 * further than the document (a missing key), it answers the nearest present parent's key.
 */
export function createLocator(doc: Document, lineCounter: LineCounter): YamlLocator {
  const position = (node: Node | null | undefined): YamlPosition | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  return (path, target = 'value') => {
    let node = resolve(doc.contents);
    let anchor = position(isMap(node) || isSeq(node) ? node : undefined);
    let keyOfLast: YamlPosition | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return anchor;
        keyOfLast = position(isScalar(pair.key) ? pair.key : undefined);
        anchor = keyOfLast ?? anchor;
        node = resolve(pair.value);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = resolve(node.items[segment]);
        if (item === undefined) return anchor;
        keyOfLast = undefined;
        anchor = position(item as Node) ?? anchor;
        node = item;
      } else {
        return anchor;
      }
    }
    if (target === 'key' && keyOfLast) return keyOfLast;
    return position(isScalar(node) || isMap(node) || isSeq(node) ? node : undefined) ?? anchor;
  };
}

/** A problem (or warning) about the value at `path`, with its line and column when known. */
export function problemAt(
  locate: YamlLocator,
  path: YamlPath,
  message: string,
  target: 'value' | 'key' = 'value',
): ConfigProblem {
  return { path: formatPath(path), ...locate(path, target), message };
}
