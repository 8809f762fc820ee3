import { z } from 'zod';
import { errorTypeNames } from './error-types';

/** One of the ErrorTypes (see error-types.ts). */
export const errorTypeSchema = z.enum(errorTypeNames);

/**
 * A stable, machine-readable error code in lower snake_case (`rate_limit_exceeded`,
 * `model_not_found`, `context_length_exceeded`). Callers may branch on it; it never carries
 * request-specific text.
 */
export const errorCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower snake_case, 1 to 64 characters');

/** One failed call of one deployment, as remembered in an error and in a job's route. */
export const deploymentAttemptSchema = z.object({
  deployment: z.string().min(1),
  provider: z.string().min(1),
  type: errorTypeSchema,
  code: errorCodeSchema,
  message: z.string(),
});
export type DeploymentAttempt = z.infer<typeof deploymentAttemptSchema>;

/**
 * An error as a caller sees it. `type` says what kind of failure it is (and so whether to
 * retry); `code` is stable; `message` is the provider's own message where there is one;
 * `status` is the HTTP status the gateway answers with; `retry_after_ms` is the provider's
 * Retry-After where it sent one; `deployments_tried` lists every deployment that failed on
 * the way, across fallbacks, oldest first.
 */
export const switchyardErrorSchema = z
  .object({
    type: errorTypeSchema,
    code: errorCodeSchema,
    message: z.string().min(1),
    provider: z.string().min(1).optional(),
    status: z.int().min(100).max(599),
    retryable: z.boolean(),
    param: z.string().optional(),
    retry_after_ms: z.number().nonnegative().optional(),
    deployments_tried: z.array(deploymentAttemptSchema),
  })
  .meta({ description: 'A classified Switchyard error' });
export type SwitchyardError = z.infer<typeof switchyardErrorSchema>;
