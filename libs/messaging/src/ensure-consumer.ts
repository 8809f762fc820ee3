import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';
import {
  configDifferences,
  formatDifferences,
  immutableConsumerFields,
} from './config-differences';
import { ApiErrorCodes, describeError, isApiError } from './jetstream-api-errors';
import { TopologyConflictError } from './messaging.errors';
import type { ProvisionOutcome } from './ensure-stream';
import type { ManagedConsumerConfig } from './topology-plan';

async function consumerInfoOrNull(
  jsm: JetStreamManager,
  stream: string,
  name: string,
): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (error) {
    if (isApiError(error, ApiErrorCodes.consumerNotFound)) return null;
    throw error;
  }
}

/** Options of {@link ensureConsumer}. */
export interface EnsureConsumerOptions {
  /**
   * The server can change a consumer's filter subject in place (nats-server 2.10+; see
   * `serverSupports(nc, 'consumerFilterUpdate')`). @defaultValue false
   */
  filterUpdates?: boolean;
  logger?: Logger;
}

/**
 * Creates a durable consumer, or brings an existing one to the wanted settings (AckWait,
 * max deliveries, max ack pending, description, …). Safe to run from many processes at
 * once: a create that races another process's create falls through to compare-and-update.
 * Settings the server cannot change in place are a TopologyConflictError: the consumer is
 * never deleted, since its pending and unacknowledged jobs would be redelivered out of turn.
 * Exported for other services' durables (metering on LLM_USAGE, the fallback router on
 * LLM_DLQ).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  want: ManagedConsumerConfig,
  options: EnsureConsumerOptions = {},
): Promise<ProvisionOutcome> {
  const log = loggerOrDefault(options.logger);
  const name = want.durable_name;
  let info = await consumerInfoOrNull(jsm, stream, name);
  if (info === null) {
    try {
      await jsm.consumers.add(stream, { ...want });
      log.info({ stream, consumer: name }, 'consumer created');
      return 'created';
    } catch (error) {
      if (isApiError(error, ApiErrorCodes.workQueueFilterNotUnique)) {
        throw new TopologyConflictError(
          `cannot create consumer ${name} on ${stream}: another consumer of this work queue already receives ${want.filter_subject}. Remove the overlapping consumer (it was not made by Switchyard provisioning).`,
          { cause: error },
        );
      }
      if (
        !isApiError(error, ApiErrorCodes.consumerAlreadyExists, ApiErrorCodes.consumerNameExists)
      ) {
        throw error;
      }
      info = await jsm.consumers.info(stream, name);
    }
  }

  const changes = configDifferences(info.config, want);
  if (changes.length === 0) return 'unchanged';
  const fixedFields = options.filterUpdates
    ? immutableConsumerFields
    : [...immutableConsumerFields, 'filter_subject'];
  const fixed = changes.filter((change) => fixedFields.includes(change.field));
  if (fixed.length > 0) {
    throw new TopologyConflictError(
      `consumer ${name} on ${stream} exists with ${formatDifferences(fixed)}, which this server cannot change in place. ` +
        'Switchyard does not delete consumers: once no worker uses it, delete it (`nats consumer rm`) and provision again.',
    );
  }
  try {
    await jsm.consumers.update(stream, name, want);
  } catch (error) {
    throw new TopologyConflictError(
      `cannot update consumer ${name} on ${stream} (${formatDifferences(changes)}): ${describeError(error)}`,
      { cause: error },
    );
  }
  log.info({ stream, consumer: name, changes: formatDifferences(changes) }, 'consumer updated');
  return 'updated';
}
