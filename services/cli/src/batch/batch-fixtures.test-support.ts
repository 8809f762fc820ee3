import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, type ReplyMessage } from '@switchyard/contracts';
import { consumeJobs, publishReply, type JobConsumer } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';

const logger = createLogger({ name: 'batch-fixtures', level: 'silent' });

/** A valid `chat.completion` reply to job `jobId`. */
export function completion(jobId: string): ReplyMessage {
  return {
    id: `chatcmpl-${jobId}`,
    object: 'chat.completion',
    created: 1_764_000_000,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'ok', refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    switchyard: {
      v: 1,
      job_id: jobId,
      deployment: 'alpha/0',
      provider: 'openai',
      provider_model: 'gpt-4o-mini',
      attempts: 1,
      fallback_path: ['alpha'],
      queue_ms: 1,
      provider_ms: 1,
      total_ms: 2,
      cache_hit: false,
      cost_usd: 0,
    },
  } as unknown as ReplyMessage;
}

/** A stand-in worker for `alpha`: answers every job on its reply subject and counts deliveries. */
export async function answeringWorker(
  nc: NatsConnection,
  prefix: string,
  served: Map<string, number>,
): Promise<JobConsumer> {
  const subjects = createSubjects(prefix);
  return consumeJobs(nc, {
    model: 'alpha',
    concurrency: 8,
    streamPrefix: prefix,
    subjects,
    logger,
    handler: async (delivery) => {
      if (delivery.ok && delivery.replyTo !== null) {
        served.set(delivery.job.id, (served.get(delivery.job.id) ?? 0) + 1);
        await publishReply(nc, delivery.replyTo, completion(delivery.job.id), {
          subjects,
          msgId: `${delivery.job.id}:final`,
        });
      }
      await delivery.control.ack();
    },
  });
}
