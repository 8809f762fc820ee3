import type { NatsConnection } from '@nats-io/nats-core';
import {
  makeError,
  makeErrorReply,
  type CompletionChunk,
  type CompletionJob,
  type CompletionResult,
  type ErrorReply,
  type ErrorType,
  type ReplyMessage,
  type ResultMeta,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { consumeJobs, publishReply, type JobConsumer } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/** The messages the fake worker sends for a job, in order (none: it never answers). */
export type FakeAnswer = (job: CompletionJob) => ReplyMessage[];

/**
 * A stand-in for the provider worker: consumes a model's jobs through libs/messaging and
 * answers each with the canned replies `answer` gives, then acks. `seen` collects the jobs.
 */
export async function startFakeWorker(
  nc: NatsConnection,
  options: {
    model: string;
    streamPrefix: string;
    subjects: SwitchyardSubjects;
    logger: Logger;
    answer: () => FakeAnswer;
  },
): Promise<{ consumer: JobConsumer; seen: CompletionJob[] }> {
  const seen: CompletionJob[] = [];
  const consumer = await consumeJobs(nc, {
    model: options.model,
    streamPrefix: options.streamPrefix,
    subjects: options.subjects,
    concurrency: 8,
    pullExpiresMs: 1_000,
    logger: options.logger,
    handler: async (delivery) => {
      if (delivery.ok && delivery.replyTo !== null) {
        seen.push(delivery.job);
        for (const reply of options.answer()(delivery.job)) {
          const final = reply.object !== 'chat.completion.chunk' || reply.switchyard.final;
          await publishReply(nc, delivery.replyTo, reply, {
            subjects: options.subjects,
            ...(final ? { msgId: `${delivery.job.id}:final` } : {}),
          });
        }
      }
      await delivery.control.ack();
    },
  });
  return { consumer, seen };
}

function meta(job: CompletionJob): ResultMeta {
  return {
    v: 1,
    job_id: job.id,
    deployment: `${job.model}/0`,
    provider: 'openai',
    provider_model: 'gpt-4o-mini',
    attempts: 1,
    fallback_path: [job.model],
    queue_ms: 1,
    provider_ms: 2,
    total_ms: 3,
    cache_hit: false,
    cost_usd: 0.0001,
  };
}

const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };

/** A finished result whose answer is `text`. */
export function cannedResult(job: CompletionJob, text: string): CompletionResult {
  return {
    id: `chatcmpl-${job.id}`,
    object: 'chat.completion',
    created: 1_735_689_600,
    model: job.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage,
    switchyard: meta(job),
  };
}

/** The chunks of a stream whose pieces are `texts`, numbered from 0; the last is final. */
export function cannedChunks(job: CompletionJob, texts: string[]): CompletionChunk[] {
  return texts.map((text, seq) => {
    const final = seq === texts.length - 1;
    return {
      id: `chatcmpl-${job.id}`,
      object: 'chat.completion.chunk',
      created: 1_735_689_600,
      model: job.model,
      choices: [{ index: 0, delta: { content: text }, finish_reason: final ? 'stop' : null }],
      ...(final ? { usage } : {}),
      switchyard: final
        ? { ...meta(job), seq, generation: '0.1', final: true }
        : { v: 1, job_id: job.id, seq, generation: '0.1', final: false },
    };
  });
}

/** An error reply of `type` that names the deployment that failed. */
export function cannedError(job: CompletionJob, type: ErrorType): ErrorReply {
  const attempt = {
    deployment: `${job.model}/0`,
    provider: 'openai',
    type,
    code: `${type}_code`,
    message: `canned ${type}`,
  };
  return makeErrorReply(
    makeError(type, attempt.code, attempt.message, {
      provider: 'openai',
      deployments_tried: [attempt],
    }),
    job.id,
  );
}
