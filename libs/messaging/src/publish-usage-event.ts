import type { PubAck } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import {
  formatIssues,
  makeError,
  subjects as defaultSubjects,
  usageEventSchema,
  ContractErrorCodes,
  type SwitchyardSubjects,
  type UsageEventInput,
} from '@switchyard/contracts';
import { switchyardHeaders } from './message-headers';
import { InvalidMessageError } from './messaging.errors';
import type { StreamPublish } from './stream-publisher';

/** Options of {@link publishUsageEvent}. */
export interface PublishUsageEventOptions {
  /** The installation's subjects. @defaultValue the subjects under `llm` */
  subjects?: SwitchyardSubjects;
  /** The trace context to propagate. @defaultValue the active context */
  traceContext?: Context;
  /** Milliseconds to wait for the stream's acknowledgement. @defaultValue the client's */
  timeoutMs?: number;
}

/**
 * Publishes a usage event to `<root>.usage.<tenant>.<model token>` (stream LLM_USAGE) and
 * resolves when the stream has stored it. `Nats-Msg-Id` is the event id, so an event
 * published again (a worker retrying after a timeout) is stored once within the duplicate
 * window; metering also counts each id once, whenever it arrives.
 *
 * Throws an InvalidMessageError (`bad_request`) for an event that fails the contract.
 */
export async function publishUsageEvent(
  js: StreamPublish,
  event: UsageEventInput,
  options: PublishUsageEventOptions = {},
): Promise<PubAck> {
  const { subjects = defaultSubjects, traceContext, timeoutMs } = options;
  const parsed = usageEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidMessageError(
      makeError(
        'bad_request',
        ContractErrorCodes.schema_mismatch,
        `invalid usage event: ${formatIssues(parsed.error.issues)}`,
      ),
    );
  }
  const valid = parsed.data;
  return js.publish(subjects.usage(valid.tenant, valid.model), JSON.stringify(valid), {
    msgID: valid.id,
    headers: switchyardHeaders({ traceContext }),
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  });
}
