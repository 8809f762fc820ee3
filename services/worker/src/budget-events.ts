import type { NatsConnection } from '@nats-io/nats-core';
import type { BudgetEvent, SwitchyardSubjects } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';

/**
 * Publishes a budget event on `<root>.events.budget.<tenant>` (core NATS: whoever listens
 * then gets it, nothing is stored). A failure to publish is logged, never thrown.
 */
export function publishBudgetEvent(
  nc: NatsConnection,
  subjects: SwitchyardSubjects,
  event: BudgetEvent,
  logger: Logger,
): void {
  try {
    nc.publish(subjects.budgetEvents(event.tenant), JSON.stringify(event));
    logger.info({ budgetEvent: event }, 'budget threshold crossed');
  } catch (error) {
    logger.error({ err: error, budgetEvent: event }, 'publishing a budget event failed');
  }
}
