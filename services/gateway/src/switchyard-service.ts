import type { NatsConnection } from '@nats-io/nats-core';
import { registerService, type RegisteredService, type ServiceMsg } from '@switchyard/messaging';
import type { GatewayContext } from './gateway-context';
import { natsChat, natsEmbeddings } from './nats-endpoints';
import {
  answerNatsRequest,
  type NatsJobEndpoint,
  type NatsRequestOptions,
  type NatsRequestOutcome,
} from './nats-request';

/** The NATS micro service that answers plain requests, and the queue group of its endpoints. */
export const SwitchyardService = { name: 'switchyard', queue: 'switchyard' } as const;

/** One endpoint's numbers, its `data` in `$SRV.STATS` (`nats micro stats switchyard`). */
class EndpointStats {
  inFlight = 0;
  answered = 0;
  errors = 0;
  refusedReplies = 0;
  badSubjects = 0;
  readonly byStatus: Record<string, number> = {};

  record(outcome: NatsRequestOutcome): void {
    if (!outcome.answered) {
      if (outcome.reason === 'bad_subject') this.badSubjects++;
      else this.refusedReplies++;
      return;
    }
    this.answered++;
    if (outcome.status >= 400) this.errors++;
    const status = String(outcome.status);
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  snapshot(): Record<string, unknown> {
    return {
      in_flight: this.inFlight,
      answered: this.answered,
      errors: this.errors,
      refused_replies: this.refusedReplies,
      bad_subjects: this.badSubjects,
      by_status: { ...this.byStatus },
    };
  }
}

/**
 * Registers the `switchyard` NATS micro service with its endpoints `chat` on
 * `<root>.chat.*.*` and `embeddings` on `<root>.embeddings.*.*`, in the queue group
 * `switchyard` so that gateway replicas share the requests; each request is answered by
 * {@link answerNatsRequest}, and counted in its endpoint's stats (the service's `status`
 * data holds both, by endpoint name). Stopping it drains the subscriptions; requests in
 * flight are the gateway's to finish.
 */
export async function registerSwitchyardService(
  nc: NatsConnection,
  ctx: GatewayContext,
  options: NatsRequestOptions,
): Promise<RegisteredService> {
  const endpoints = [
    { endpoint: natsChat, subject: options.subjects.chatAll },
    { endpoint: natsEmbeddings, subject: options.subjects.embeddingsAll },
  ].map(({ endpoint, subject }) => ({ endpoint, subject, stats: new EndpointStats() }));
  const handle = (endpoint: NatsJobEndpoint, stats: EndpointStats) => (msg: ServiceMsg) => {
    stats.inFlight++;
    void answerNatsRequest(ctx, options, endpoint, msg)
      .catch((error: unknown): NatsRequestOutcome => {
        ctx.logger.error({ err: error, subject: msg.subject }, `${endpoint.kind} request failed`);
        return { answered: true, status: 500 };
      })
      .then((outcome) => {
        stats.inFlight--;
        stats.record(outcome);
      });
  };
  return registerService(nc, {
    name: SwitchyardService.name,
    version: '0.1.0',
    description: 'OpenAI chat completions and embeddings over NATS request-reply',
    metadata: { subject_root: options.subjects.root },
    stats: () =>
      Object.fromEntries(endpoints.map(({ endpoint, stats }) => [endpoint.kind, stats.snapshot()])),
    endpoints: endpoints.map(({ endpoint, subject, stats }) => ({
      name: endpoint.kind,
      subject,
      queue: SwitchyardService.queue,
      handler: handle(endpoint, stats),
      stats: () => stats.snapshot(),
    })),
  });
}
