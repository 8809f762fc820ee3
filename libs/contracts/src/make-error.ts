import { ErrorTypes, type ErrorType } from './error-types';
import type { DeploymentAttempt, SwitchyardError } from './error.schema';
import type { ErrorReply } from './reply.schema';
import { CONTRACT_VERSION } from './version';

/** The optional parts of an error that makeError does not derive from its type. */
export interface ErrorExtras {
  provider?: string;
  param?: string;
  retry_after_ms?: number;
  deployments_tried?: DeploymentAttempt[];
}

/**
 * Builds an error whose `status` and `retryable` come from the ErrorTypes table, so that
 * every error of one type answers the same way. `deployments_tried` defaults to none; an
 * empty message (some providers send none) becomes `<type>: <code>`.
 */
export function makeError(
  type: ErrorType,
  code: string,
  message: string,
  extras: ErrorExtras = {},
): SwitchyardError {
  const { deployments_tried = [], ...rest } = extras;
  return {
    type,
    code,
    message: message.length > 0 ? message : `${type}: ${code}`,
    ...rest,
    status: ErrorTypes[type].status,
    retryable: ErrorTypes[type].retryable,
    deployments_tried,
  };
}

/** The codes of the errors this package itself produces when decoding wire messages. */
export const ContractErrorCodes = {
  /** The bytes are not UTF-8 JSON. */
  malformed_json: 'malformed_json',
  /** The message carries a contract version this build does not understand. */
  unsupported_contract_version: 'unsupported_contract_version',
  /** The JSON does not match the schema; the message names each failing field. */
  schema_mismatch: 'schema_mismatch',
  /** The JSON nests objects and arrays deeper than MAX_JSON_DEPTH. */
  too_deeply_nested: 'too_deeply_nested',
} as const;
export type ContractErrorCode = (typeof ContractErrorCodes)[keyof typeof ContractErrorCodes];

/**
 * The message that answers a failed job on its reply subject. `jobId` is null when the job
 * could not be read far enough to know it.
 */
export function makeErrorReply(error: SwitchyardError, jobId: string | null): ErrorReply {
  return { object: 'error', error, switchyard: { v: CONTRACT_VERSION, job_id: jobId } };
}
