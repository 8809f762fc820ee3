import { JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  makeError,
  makeErrorReply,
  modelConsumerName,
  type ParsedModelSubject,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { publishReply, readReplyTo } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';

/** The queue group of the unknown-model responders: one router replica answers each job. */
export const UNKNOWN_MODELS_QUEUE = 'switchyard-unknown-models';

/** JetStream's `err_code` for a consumer that does not exist. */
const consumerNotFound = 10014;

/** Purges of an unknown model's subject: the stream may store the job after we saw it. */
const purgeAttempts = 5;
const purgeRetryMs = 200;

/** Options of {@link answerUnknownModels}. */
export interface UnknownModelsOptions {
  config: SwitchyardConfig;
  nc: NatsConnection;
  jsm: JetStreamManager;
  subjects: SwitchyardSubjects;
  /** The jobs stream's name (LLM_JOBS with the installation's prefix). */
  jobsStream: string;
  log: Logger;
  /** Called after each job for an unknown model was answered (for tests and metrics). */
  onAnswered?: (model: string, jobId: string | null) => void;
}

/** The running responder. */
export interface UnknownModelsResponder {
  /** Stops listening and waits for the answers under way. */
  stop(): Promise<void>;
}

/**
 * Answers jobs for models no worker serves. LLM_JOBS captures every `<root>.jobs.>` subject,
 * but only configured models have a consumer, so a job for any other model would wait
 * forever. JetStream-captured subjects are also delivered to core subscribers: this core
 * subscription (queue group {@link UNKNOWN_MODELS_QUEUE}) sees every job, ignores those of
 * models in the config, and for any other model whose consumer does not exist either (a
 * worker with a newer config may already serve it) it sends `not_found` / `model_not_found`
 * to `Switchyard-Reply-To` (when the job's tenant may be answered there, see
 * SwitchyardSubjects.mayReplyTo) and purges the model's subject from the jobs stream.
 */
export function answerUnknownModels(options: UnknownModelsOptions): UnknownModelsResponder {
  const { nc, subjects, log } = options;
  const pending = new Set<Promise<void>>();
  const subscription: Subscription = nc.subscribe(subjects.streamSubjects.jobs, {
    queue: UNKNOWN_MODELS_QUEUE,
    callback: (error, msg) => {
      if (error !== null) {
        log.warn({ err: error }, 'unknown-model subscription error');
        return;
      }
      const parsed = subjects.parse(msg.subject);
      if (!parsed.ok || parsed.kind !== 'jobs' || parsed.model in options.config.models) return;
      const task = answerJob(msg, parsed, options).catch((failure: unknown) =>
        log.error({ err: failure, subject: msg.subject }, 'answering an unknown-model job failed'),
      );
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
  });
  return {
    async stop() {
      subscription.unsubscribe();
      await Promise.all(pending);
    },
  };
}

async function answerJob(
  msg: Msg,
  { tenant, model }: ParsedModelSubject,
  options: UnknownModelsOptions,
): Promise<void> {
  const { nc, jsm, subjects, jobsStream, log } = options;
  // The model's own consumer exists once a worker serves it (every tenant's jobs too: workers
  // then make the tenants' lane consumers).
  if (await consumerExists(jsm, jobsStream, modelConsumerName(model))) return;
  const jobId = jobIdOf(msg);
  const replyTo = readReplyTo(msg.headers);
  const configured = Object.keys(options.config.models).sort().join(', ');
  const error = makeError(
    'not_found',
    'model_not_found',
    `model ${JSON.stringify(model)} is not configured on this Switchyard installation (models: ${configured})`,
    { param: 'model' },
  );
  if (replyTo.ok && replyTo.replyTo !== null && subjects.mayReplyTo(tenant, replyTo.replyTo)) {
    await publishReply(nc, replyTo.replyTo, makeErrorReply(error, jobId), {
      subjects,
      ...(jobId === null ? {} : { msgId: `${jobId}:final` }),
    });
  }
  log.warn({ model, jobId, subject: msg.subject }, 'job for an unknown model answered not_found');
  options.onAnswered?.(model, jobId);
  await purgeSubject(jsm, jobsStream, msg.subject);
}

async function consumerExists(
  jsm: JetStreamManager,
  stream: string,
  consumer: string,
): Promise<boolean> {
  try {
    await jsm.consumers.info(stream, consumer);
    return true;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === consumerNotFound) return false;
    throw error;
  }
}

/**
 * Removes the stored jobs of a subject no consumer reads. The core delivery that brought the job
 * here can arrive before the stream stored it, and other jobs of the subject are purged by their
 * own handlers at the same time, so one purge proves nothing: purge, wait, and stop once the
 * subject is empty after the wait.
 */
async function purgeSubject(jsm: JetStreamManager, stream: string, subject: string): Promise<void> {
  for (let attempt = 1; attempt <= purgeAttempts; attempt += 1) {
    await jsm.streams.purge(stream, { filter: subject });
    await new Promise((resolve) => setTimeout(resolve, purgeRetryMs));
    const info = await jsm.streams.info(stream, { subjects_filter: subject });
    if ((info.state.subjects?.[subject] ?? 0) === 0) return;
  }
}

function jobIdOf(msg: Msg): string | null {
  try {
    const body: unknown = msg.json();
    if (typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string') {
      return body.id;
    }
  } catch {
    return null;
  }
  return null;
}
