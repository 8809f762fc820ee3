import type { JetStreamManager, StreamInfo } from '@nats-io/jetstream';
import type { Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';
import { configDifferences, formatDifferences, immutableStreamFields } from './config-differences';
import { ApiErrorCodes, describeError, isApiError } from './jetstream-api-errors';
import { TopologyConflictError } from './messaging.errors';
import type { ManagedStreamConfig } from './topology-plan';

/** What provisioning did to one stream or consumer. */
export type ProvisionOutcome = 'created' | 'updated' | 'unchanged';

/** The stream's info, or null when it does not exist. */
export async function streamInfoOrNull(
  jsm: JetStreamManager,
  name: string,
): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isApiError(error, ApiErrorCodes.streamNotFound)) return null;
    throw error;
  }
}

/**
 * Creates the stream, or brings an existing one to the wanted settings. Safe to run from
 * many processes at once: a create that loses the race to another process's create falls
 * through to the compare-and-update path. Only mutable settings are updated (the rest of the
 * stream's configuration and all its messages stay); a stream whose retention or storage
 * differs is never re-created: that is a TopologyConflictError for an operator.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  want: ManagedStreamConfig,
  { logger }: { logger?: Logger } = {},
): Promise<ProvisionOutcome> {
  const log = loggerOrDefault(logger);
  let info = await streamInfoOrNull(jsm, want.name);
  if (info === null) {
    try {
      await jsm.streams.add({ ...want });
      log.info({ stream: want.name }, 'stream created');
      return 'created';
    } catch (error) {
      if (isApiError(error, ApiErrorCodes.streamSubjectOverlap)) {
        throw new TopologyConflictError(
          `cannot create stream ${want.name}: its subjects ${want.subjects.join(', ')} overlap another stream's. Give each installation its own subject root and stream prefix, or remove the other stream.`,
          { cause: error },
        );
      }
      if (!isApiError(error, ApiErrorCodes.streamNameExists)) throw error;
      info = await jsm.streams.info(want.name);
    }
  }

  const changes = configDifferences(info.config, want);
  if (changes.length === 0) return 'unchanged';
  const fixed = changes.filter((change) => immutableStreamFields.includes(change.field));
  if (fixed.length > 0) {
    throw new TopologyConflictError(
      `stream ${want.name} exists with ${formatDifferences(fixed)}, which cannot change in place. ` +
        'Switchyard never re-creates a stream (its messages would be lost): drain or back it up ' +
        '(`nats stream backup`), delete it, and provision again, or use another stream prefix.',
    );
  }
  const { name } = want;
  try {
    await jsm.streams.update(name, want);
  } catch (error) {
    throw new TopologyConflictError(
      `cannot update stream ${name} (${formatDifferences(changes)}): ${describeError(error)}`,
      { cause: error },
    );
  }
  log.info({ stream: name, changes: formatDifferences(changes) }, 'stream updated');
  return 'updated';
}
