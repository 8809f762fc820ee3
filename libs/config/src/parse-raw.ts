import type { z } from 'zod';
import type { ConfigProblem } from './config-error';
import type { Env } from './env-refs';
import { issuesToProblems } from './issue-to-problems';
import {
  createRawSchemas,
  sectionNames,
  type SectionName,
  type RawGeneralSettings,
  type RawLitellmSettings,
  type RawModelEntry,
  type RawRouterSettings,
  type RawSwitchyardSettings,
} from './raw-config.schema';
import type { YamlLocator } from './yaml-locate';
import { formatPath, isRecord, valueAt, type YamlPath } from './yaml-path';

/** A `model_list` entry that passed validation, with its index in the file. */
export interface IndexedModelEntry {
  readonly index: number;
  readonly entry: RawModelEntry;
}

/**
 * The parts of the config that passed validation. A `model_list` entry with problems is left
 * out and a section with problems keeps only its valid keys, so the cross-checks that follow
 * still run on the rest and everything is reported at once.
 */
export interface RawConfig {
  readonly modelEntries: readonly IndexedModelEntry[];
  /** Every `model_name` written in the file, valid entry or not (for fallback checks). */
  readonly modelNames: ReadonlySet<string>;
  readonly routerSettings?: RawRouterSettings;
  readonly litellmSettings?: RawLitellmSettings;
  readonly generalSettings?: RawGeneralSettings;
  readonly switchyard?: RawSwitchyardSettings;
}

/** Validation outcome: the valid parts, the problems, and the unknown keys (warned, not fatal). */
export interface RawParseResult {
  readonly raw: RawConfig;
  readonly problems: ConfigProblem[];
  readonly unknownKeys: YamlPath[];
}

function withoutKeys(value: unknown, keys: readonly YamlPath[]): unknown {
  const copy = structuredClone(value);
  for (const path of keys) {
    const parent = valueAt(copy, path.slice(0, -1));
    const key = path[path.length - 1];
    if (isRecord(parent) && typeof key === 'string') Reflect.deleteProperty(parent, key);
  }
  return copy;
}

interface PartContext {
  readonly locate: YamlLocator;
  readonly problems: ConfigProblem[];
  readonly unknownKeys: YamlPath[];
}

/**
 * Validates one part; unknown keys are recorded and removed, then the part is validated again.
 * With `salvage`, a part with problems still yields its valid top-level keys (the problems are
 * reported all the same), so the cross-checks that follow see as much of the file as possible.
 */
function parsePart<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  base: YamlPath,
  context: PartContext,
  options: { readonly neededBy?: string; readonly salvage?: boolean } = {},
): z.output<Schema> | undefined {
  const first = schema.safeParse(value);
  if (first.success) return first.data;
  const unknown = first.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...(issue.path as (string | number)[]), key])
      : [],
  );
  context.unknownKeys.push(...unknown.map((path) => [...base, ...path]));
  const pruned = unknown.length > 0 ? withoutKeys(value, unknown) : value;
  const second = unknown.length > 0 ? schema.safeParse(pruned) : first;
  if (second.success) return second.data;
  context.problems.push(
    ...issuesToProblems(second.error.issues, {
      base,
      value: pruned,
      locate: context.locate,
      ...(options.neededBy === undefined ? {} : { neededBy: options.neededBy }),
    }),
  );
  if (!options.salvage) return undefined;
  const failedKeys = second.error.issues.flatMap((issue) => {
    const key = issue.path[0];
    return typeof key === 'string' ? [[key]] : [];
  });
  const salvaged = schema.safeParse(withoutKeys(pruned, failedKeys));
  return salvaged.success ? salvaged.data : undefined;
}

/**
 * Validates the YAML tree part by part: each `model_list` entry and each top-level section on
 * its own. `os.environ/VAR` references are resolved from `env` as part of validation.
 */
export function parseRaw(tree: unknown, env: Env, locate: YamlLocator): RawParseResult {
  const problems: ConfigProblem[] = [];
  const unknownKeys: YamlPath[] = [];
  const context: PartContext = { locate, problems, unknownKeys };
  const schemas = createRawSchemas(env);
  const empty: RawConfig = { modelEntries: [], modelNames: new Set() };

  if (!isRecord(tree)) {
    const message =
      tree === null || tree === undefined
        ? 'the file is empty; it needs at least a model_list'
        : 'expected a mapping with model_list, router_settings, litellm_settings, ...';
    problems.push({ path: '', ...locate([]), message });
    return { raw: empty, problems, unknownKeys };
  }

  const known = new Set<string>(['model_list', ...sectionNames]);
  for (const key of Object.keys(tree)) if (!known.has(key)) unknownKeys.push([key]);

  const modelEntries: IndexedModelEntry[] = [];
  const modelNames = new Set<string>();
  const list = tree['model_list'];
  if (list === undefined || list === null) {
    problems.push({ path: 'model_list', message: 'is missing; list at least one model' });
  } else if (!Array.isArray(list) || list.length === 0) {
    problems.push({
      path: 'model_list',
      ...locate(['model_list']),
      message: 'expected a list of at least one model (model_name + litellm_params)',
    });
  } else {
    list.forEach((item: unknown, index) => {
      const name = isRecord(item) ? item['model_name'] : undefined;
      if (typeof name === 'string' && name.trim() !== '') modelNames.add(name.trim());
      const neededBy =
        typeof name === 'string'
          ? `model ${JSON.stringify(name)}`
          : formatPath(['model_list', index]);
      const entry = parsePart(schemas.modelEntry, item, ['model_list', index], context, {
        neededBy,
      });
      if (entry) modelEntries.push({ index, entry });
    });
  }

  const parseSection = <Schema extends z.ZodType>(name: SectionName, schema: Schema) => {
    const value = tree[name];
    if (value === undefined || value === null) return undefined;
    return parsePart(schema, value, [name], context, { salvage: true });
  };
  const { sections } = schemas;
  const raw: RawConfig = {
    modelEntries,
    modelNames,
    routerSettings: parseSection('router_settings', sections.router_settings),
    litellmSettings: parseSection('litellm_settings', sections.litellm_settings),
    generalSettings: parseSection('general_settings', sections.general_settings),
    switchyard: parseSection('switchyard', sections.switchyard),
  };
  return { raw, problems, unknownKeys };
}
