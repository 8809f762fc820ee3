import { NoRespondersError, type NatsConnection } from '@nats-io/nats-core';
import {
  makeError,
  spendQuerySchema,
  spendReplySchema,
  formatIssues,
  type SpendQuery,
  type SpendReply,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { errorFromWire } from '../errors/switchyard.error';

/** The answer of a spend query that succeeded. */
export type SpendAnswer = Extract<SpendReply, { ok: true }>;

/** Options of {@link querySpend}. */
export interface QuerySpendOptions {
  /** Milliseconds to wait for metering's answer. @defaultValue 10_000 */
  timeoutMs?: number;
}

/**
 * Asks metering for spend over NATS request-reply on `subjects.meteringSpend`. Resolves to
 * the rows; throws a SwitchyardError: `bad_request` for a query metering (or this check
 * first) refuses, `connection` when no metering process answers, `server` for an answer
 * that is not a spend reply.
 */
export async function querySpend(
  nc: NatsConnection,
  subjects: Pick<SwitchyardSubjects, 'meteringSpend'>,
  query: SpendQuery,
  options: QuerySpendOptions = {},
): Promise<SpendAnswer> {
  const valid = spendQuerySchema.safeParse(query);
  if (!valid.success) {
    throw wireError('bad_request', 'invalid_spend_query', formatIssues(valid.error.issues));
  }
  let text: string;
  try {
    const msg = await nc.request(subjects.meteringSpend, JSON.stringify(valid.data), {
      timeout: options.timeoutMs ?? 10_000,
    });
    text = msg.string();
  } catch (error) {
    const noResponders =
      error instanceof NoRespondersError ||
      (error instanceof Error && error.cause instanceof NoRespondersError);
    throw wireError(
      noResponders ? 'connection' : 'timeout',
      noResponders ? 'no_metering' : 'metering_timeout',
      noResponders
        ? `no metering process answers on ${subjects.meteringSpend}`
        : `metering did not answer on ${subjects.meteringSpend}: ${String(error)}`,
    );
  }
  const reply = spendReplySchema.safeParse(safeJson(text));
  if (!reply.success) {
    throw wireError('server', 'invalid_spend_reply', `metering answered: ${text.slice(0, 200)}`);
  }
  if (!reply.data.ok) throw errorFromWire(reply.data.error, null);
  return reply.data;
}

function wireError(type: Parameters<typeof makeError>[0], code: string, message: string) {
  return errorFromWire(makeError(type, code, message), null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
