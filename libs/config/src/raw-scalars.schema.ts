import { z } from 'zod';
import { resolveEnvRef, type Env, type EnvResolution } from './env-refs';
import { isRecord } from './yaml-path';

/** Zod params whose only content is our message: the loader adds what it got. */
export const expected = (message: string): { error: string } => ({ error: message });

const positiveIntMessage = 'expected a positive integer';
const nonNegativeIntMessage = 'expected a whole number (0 or more)';

export const positiveInt = z
  .number(expected(positiveIntMessage))
  .int(expected(positiveIntMessage))
  .positive(expected(positiveIntMessage));

export const nonNegativeInt = z
  .number(expected(nonNegativeIntMessage))
  .int(expected(nonNegativeIntMessage))
  .min(0, expected(nonNegativeIntMessage));

export const positiveNumber = z
  .number(expected('expected a positive number'))
  .positive(expected('expected a positive number'));

export const nonNegativeNumber = z
  .number(expected('expected a number (0 or more)'))
  .min(0, expected('expected a number (0 or more)'));

/** A duration in seconds, as LiteLLM writes them (fractions allowed). */
export const positiveSeconds = z
  .number(expected('expected a positive number of seconds'))
  .positive(expected('expected a positive number of seconds'));

export const nonNegativeSeconds = z
  .number(expected('expected a number of seconds (0 or more)'))
  .min(0, expected('expected a number of seconds (0 or more)'));

export const flag = z.boolean(expected('expected true or false'));

export const text = z
  .string(expected('expected a string'))
  .trim()
  .min(1, expected('expected a non-empty string'));

export const modelName = z
  .string(expected('expected a model name'))
  .trim()
  .min(1, expected('expected a model name'));

export const modelNames = z.array(modelName, expected('expected a list of model names'));

type RefinementContext = z.core.$RefinementCtx<unknown>;

/** Reports a failed `os.environ/VAR` resolution; `params.envVariable` lets the loader add context. */
export function addEnvIssue(
  ctx: RefinementContext,
  failure: Extract<EnvResolution, { ok: false }>,
): void {
  ctx.addIssue({
    code: 'custom',
    message: failure.message,
    ...(failure.variable === undefined ? {} : { params: { envVariable: failure.variable } }),
  });
}

/** A non-empty string in which `os.environ/VAR` is replaced by the variable's value. */
export function envText(env: Env, message = 'expected a non-empty string') {
  return z
    .string(expected(message))
    .trim()
    .min(1, expected(message))
    .transform((value, ctx) => {
      const resolved = resolveEnvRef(value, env);
      if (!resolved.ok) {
        addEnvIssue(ctx, resolved);
        return z.NEVER;
      }
      return resolved.value;
    });
}

/** Whether `value` parses as a URL with one of `protocols` (e.g. `['http:', 'https:']`). */
export function isUrlWith(value: string, protocols: readonly string[]): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return protocols.includes(url.protocol) && url.host !== '';
}

/** An env-resolvable URL with one of `protocols`. */
export function envUrl(env: Env, protocols: readonly string[], message: string) {
  return envText(env).pipe(
    z.string().refine((value) => isUrlWith(value, protocols), expected(message)),
  );
}

/** A TCP port, as a number or as an env-resolvable string (`port: os.environ/REDIS_PORT`). */
export function envPort(env: Env) {
  const message = 'expected a port number (1-65535)';
  return z.union([z.number(), z.string()], expected(message)).transform((value, ctx) => {
    let candidate: number | string = value;
    if (typeof candidate === 'string') {
      const resolved = resolveEnvRef(candidate.trim(), env);
      if (!resolved.ok) {
        addEnvIssue(ctx, resolved);
        return z.NEVER;
      }
      candidate = /^\d+$/.test(resolved.value.trim()) ? Number(resolved.value.trim()) : NaN;
    }
    if (!Number.isInteger(candidate) || candidate < 1 || candidate > 65_535) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return candidate;
  });
}

/**
 * A strict mapping: keys it does not know are reported (as warnings, by the loader). A key
 * written with no value (`api_base:`) counts as absent; unknown empty keys are still reported.
 */
export function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.preprocess(
    (value) =>
      isRecord(value)
        ? Object.fromEntries(
            Object.entries(value).filter(
              ([key, item]) => item !== null || !Object.hasOwn(shape, key),
            ),
          )
        : value,
    z.strictObject(shape, expected('expected a mapping')),
  );
}
