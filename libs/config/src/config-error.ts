/** One thing wrong with a config file. */
export interface ConfigProblem {
  /** YAML path of the offending value, e.g. `model_list[1].litellm_params.rpm`; '' for the file. */
  readonly path: string;
  /** 1-based line of the offending value (or of its nearest present parent) when known. */
  readonly line?: number;
  /** 1-based column, with `line`. */
  readonly column?: number;
  /** What is wrong; never contains a secret. */
  readonly message: string;
}

/** Renders a problem as `config.yaml:12:7 model_list[1].litellm_params.rpm: <message>`. */
export function formatProblem(source: string, problem: ConfigProblem): string {
  const where =
    problem.line === undefined
      ? `${source}:`
      : `${source}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return problem.path === ''
    ? `${where} ${problem.message}`
    : `${where} ${problem.path}: ${problem.message}`;
}

/**
 * The config file cannot be used. `problems` lists everything found, not only the first
 * problem; the message has a heading line and then one line per problem.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The file name or label the problems refer to. */
  readonly source: string;
  /** Every problem found, in file order. */
  readonly problems: ConfigProblem[];

  constructor(source: string, problems: ConfigProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      [`${source} is not a valid Switchyard config (${count}):`]
        .concat(problems.map((problem) => formatProblem(source, problem)))
        .join('\n'),
      options,
    );
    this.source = source;
    this.problems = problems;
  }
}
