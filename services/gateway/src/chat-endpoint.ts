import type { NatsConnection } from '@nats-io/nats-core';
import { registerService, type RegisteredService } from '@switchyard/messaging';
import type { GatewayContext } from './gateway-context';
import { answerNatsChat, type NatsChatOptions, type NatsChatOutcome } from './nats-chat';

/** The NATS micro service that answers plain chat requests, and its endpoint's queue group. */
export const ChatService = { name: 'switchyard', endpoint: 'chat', queue: 'switchyard' } as const;

/** The chat endpoint's numbers, its `data` in `$SRV.STATS` (`nats micro stats switchyard`). */
class ChatEndpointStats {
  inFlight = 0;
  answered = 0;
  errors = 0;
  refusedReplies = 0;
  badSubjects = 0;
  readonly byStatus: Record<string, number> = {};

  record(outcome: NatsChatOutcome): void {
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
 * Registers the `switchyard` NATS micro service with its `chat` endpoint on
 * `<root>.chat.*.*`, in the queue group `switchyard` so that gateway replicas share the
 * requests; each request is answered by {@link answerNatsChat}. Stopping it drains the
 * subscription; requests in flight are the gateway's to finish.
 */
export async function registerChatEndpoint(
  nc: NatsConnection,
  ctx: GatewayContext,
  options: NatsChatOptions,
): Promise<RegisteredService> {
  const stats = new ChatEndpointStats();
  return registerService(nc, {
    name: ChatService.name,
    version: '0.1.0',
    description: 'OpenAI chat completions over NATS request-reply',
    metadata: { subject_root: options.subjects.root },
    stats: () => stats.snapshot(),
    endpoints: [
      {
        name: ChatService.endpoint,
        subject: options.subjects.chatAll,
        queue: ChatService.queue,
        handler: (msg) => {
          stats.inFlight++;
          void answerNatsChat(ctx, options, msg)
            .catch((error: unknown): NatsChatOutcome => {
              ctx.logger.error({ err: error, subject: msg.subject }, 'chat request failed');
              return { answered: true, status: 500 };
            })
            .then((outcome) => {
              stats.inFlight--;
              stats.record(outcome);
            });
        },
        stats: () => stats.snapshot(),
      },
    ],
  });
}
