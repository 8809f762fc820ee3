import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error';
import { createLocator, type YamlLocator } from './yaml-locate';

/** YAML text turned into a plain tree, with a way back to line numbers. */
export interface YamlTree {
  readonly value: unknown;
  readonly locate: YamlLocator;
  /** The YAML parser's own warnings, already formatted with their position. */
  readonly warnings: readonly string[];
}

/**
 * Parses YAML as LiteLLM's PyYAML `safe_load` would (merge keys `<<:` allowed, duplicate keys
 * rejected). Syntax errors become one ConfigError listing each with its line and column; the
 * messages never quote the source text, which may hold secrets.
 */
export function readYaml(text: string, source: string): YamlTree {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: true,
  });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    const problems: ConfigProblem[] = doc.errors.map((error) => ({
      path: '',
      ...at(error.pos[0]),
      message: `invalid YAML: ${error.message}`,
    }));
    throw new ConfigError(source, problems, { cause: doc.errors[0] });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(source, [{ path: '', message: `invalid YAML: ${message}` }], {
      cause: error,
    });
  }
  const warnings = doc.warnings.map((warning) => {
    const { line, column } = at(warning.pos[0]);
    return `${source}:${line}:${column} ${warning.message}`;
  });
  return { value, locate: createLocator(doc, lineCounter), warnings };
}
