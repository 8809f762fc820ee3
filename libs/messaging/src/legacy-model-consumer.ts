import type { JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@switchyard/telemetry';
import { ApiErrorCodes, isApiError } from './jetstream-api-errors';
import { TopologyConflictError } from './messaging.errors';
import type { ManagedConsumerConfig } from './topology-plan';

/**
 * Makes way for a model's consumer where an earlier Switchyard left it filtered to every
 * tenant (`<root>.jobs.*.<model>`), which the per-tenant interactive consumers would overlap,
 * on a server that cannot narrow a filter in place (nats-server 2.9; 2.10+ updates it).
 *
 * The old consumer is deleted only while it has no job delivered and unacknowledged: its
 * waiting jobs are the stream's, and the new consumers deliver them. With jobs delivered and
 * not acknowledged (in flight, or handed back with a delay) it is a TopologyConflictError,
 * since deleting it then could hand a job still being served out a second time: stop the
 * workers of the earlier version and start again once those jobs are back (within AckWait or
 * their retry delay), or remove the consumer yourself once no worker of that version runs.
 * Resolves whether it deleted one.
 */
export async function replaceLegacyModelConsumer(
  jsm: JetStreamManager,
  stream: string,
  want: ManagedConsumerConfig,
  legacyFilter: string,
  log: Logger,
): Promise<boolean> {
  const name = want.durable_name;
  let info;
  try {
    info = await jsm.consumers.info(stream, name);
  } catch (error) {
    if (isApiError(error, ApiErrorCodes.consumerNotFound)) return false;
    throw error;
  }
  if (info.config.filter_subject !== legacyFilter) return false;
  if (info.num_ack_pending > 0) {
    throw new TopologyConflictError(
      `consumer ${name} on ${stream} still serves every tenant (${legacyFilter}) and has ${info.num_ack_pending} jobs in flight; ` +
        `this version gives each tenant its own interactive consumer and narrows it to ${want.filter_subject}. ` +
        'Stop the workers of the earlier version, then start again: the consumer is replaced once no job is in flight ' +
        `(jobs handed back with a delay count until they are due; once no worker of that version runs, \`nats consumer rm ${stream} ${name}\` is safe too).`,
    );
  }
  await jsm.consumers.delete(stream, name);
  log.warn(
    { stream, consumer: name, from: legacyFilter, to: want.filter_subject },
    "replaced the model's consumer of every tenant with per-tenant interactive consumers (its waiting jobs are kept)",
  );
  return true;
}
