import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { tenantInboxPrefix, type EmbeddingsResult } from '@switchyard/contracts';
import { closeNats, connectNats } from '@switchyard/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import {
  createInstallation,
  quietLogger,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
  waitUntil,
} from './pipeline-harness.test-support';

/** One embeddings deployment the suite sends jobs to, and what its answers must show. */
interface EmbeddingsCase {
  model: string;
  provider: 'cohere' | 'bedrock' | 'vertex_ai';
  providerModel: string;
  /** USD per million input tokens (libs/pricing prices.json). */
  inputPrice: number;
  /** The vectors' length when the request names none. */
  dimensions: number;
  /** Texts per job: Titan and Vertex AI's gemini-embedding-001 embed one text per call. */
  texts: number;
  /** Whether the provider reports the input tokens (else the worker counts them). */
  reportsTokens: boolean;
}

const cases: readonly EmbeddingsCase[] = [
  {
    model: 'embed-cohere',
    provider: 'cohere',
    providerModel: 'embed-v4.0',
    inputPrice: 0.12,
    dimensions: 1536,
    texts: 2,
    reportsTokens: true,
  },
  {
    model: 'embed-titan',
    provider: 'bedrock',
    providerModel: 'amazon.titan-embed-text-v2:0',
    inputPrice: 0.02,
    dimensions: 1024,
    texts: 1,
    reportsTokens: true,
  },
  {
    model: 'embed-bedrock-cohere',
    provider: 'bedrock',
    providerModel: 'cohere.embed-english-v3',
    inputPrice: 0.1,
    dimensions: 1024,
    texts: 2,
    reportsTokens: false,
  },
  {
    model: 'embed-vertex',
    provider: 'vertex_ai',
    providerModel: 'text-embedding-005',
    inputPrice: 0.1,
    dimensions: 768,
    texts: 2,
    reportsTokens: true,
  },
  {
    model: 'embed-vertex-gemini',
    provider: 'vertex_ai',
    providerModel: 'gemini-embedding-001',
    inputPrice: 0.15,
    dimensions: 3072,
    texts: 1,
    reportsTokens: true,
  },
];

/** Jobs sent per deployment, all at once; the first call to reach the simulator gets a 429. */
const jobsPerCase = 5;

/**
 * Cohere (`POST /v2/embed`), Bedrock (SigV4-signed `invoke`: Titan and Cohere models) and
 * Vertex AI (`:predict` with a Google access token: text-embedding-005, gemini-embedding-001)
 * embeddings deployments through the whole queue: the client publishes each job to JetStream,
 * a worker pool of the provider calls the simulator, settles the job (answer record, usage
 * event) and answers on the client's inbox. Counts are exact: one answer per job; one
 * simulator call and one usage event per call (a 429 costs one more of each, and is retried);
 * each answer priced from the price table.
 */
describe('Cohere, Bedrock and Vertex AI embeddings through the queue', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;
  let spy: NatsConnection;
  let replies: Subscription;
  /** Every `list` answer sent to a reply subject of tenant `default`, by job id. */
  const answers = new Map<string, number>();

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'embed-providers', {
      models: Object.fromEntries(
        cases.map((c) => [c.model, [{ provider: c.provider, model: c.providerModel }]]),
      ),
    });
    pipeline = await startPipeline(servers, install, ['cohere', 'bedrock', 'vertex_ai']);
    spy = await connectNats({
      servers: servers.nats.url,
      name: 'answers-spy',
      logger: quietLogger,
    });
    replies = spy.subscribe(`${tenantInboxPrefix('default')}.>`, {
      callback: (error, msg) => {
        if (error !== null || msg.data.length === 0) return;
        const reply = msg.json<{ object?: string; switchyard?: { job_id?: string } }>();
        const jobId = reply.switchyard?.job_id;
        if (reply.object === 'list' && jobId !== undefined) {
          answers.set(jobId, (answers.get(jobId) ?? 0) + 1);
        }
      },
    });
    await spy.flush();
  });
  afterAll(async () => {
    replies?.unsubscribe();
    if (spy !== undefined) await closeNats(spy);
    await pipeline?.stop();
    await servers?.stop();
  });

  it.each(cases)(
    '$model ($provider $providerModel): one answer per job, one usage event per simulator call, priced',
    async (c) => {
      const deployment = install.simName(c.model);
      servers.sim.addFaults([{ deployment, fault: 'rate_limit; retry_after=1', count: 1 }]);
      const stamp = Date.now();
      const textsOf = (job: number) =>
        Array.from({ length: c.texts }, (_, i) => `${c.model} job ${job} text ${i} at ${stamp}`);
      const jobIds = Array.from({ length: jobsPerCase }, (_, job) => `${c.model}-${stamp}-${job}`);
      const results: EmbeddingsResult[] = await Promise.all(
        jobIds.map((jobId, job) =>
          pipeline.client.embeddings.create({
            model: c.model,
            input: c.texts === 1 ? (textsOf(job)[0] ?? '') : textsOf(job),
            switchyard: { job_id: jobId },
          }),
        ),
      );

      // The answers: OpenAI's list, one unit vector per text, each job answered once.
      for (const [job, result] of results.entries()) {
        expect(result.object).toBe('list');
        expect(result.model).toBe(c.model);
        expect(result.switchyard).toMatchObject({ job_id: jobIds[job], provider: c.provider });
        expect(result.data.map((item) => item.index)).toEqual(textsOf(job).map((_, i) => i));
        for (const item of result.data) {
          const vector = item.embedding as number[];
          expect(vector).toHaveLength(c.dimensions);
          expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
        }
      }
      // The spy hears the answers on its own connection, maybe after the client did; the
      // count is checked again at the end, so a late duplicate would show.
      await waitUntil(() => jobIds.every((jobId) => answers.has(jobId)));

      // The simulator's calls: one per job, and one more for the job whose call got the 429.
      const calls = servers.sim.calls({ deployment });
      expect(calls).toHaveLength(jobsPerCase + 1);
      expect(calls.filter((call) => call.outcome === 'faulted')).toHaveLength(1);
      const callsOf = (job: number) =>
        servers.sim.calls({ deployment, key: textsOf(job).join('\n') });

      // The usage stream: one event per call, each call billed once; the answer's cost is
      // its successful call's, priced from the table.
      const { events, invalid } = await readUsageEvents(pipeline.nc, install.prefix);
      expect(invalid).toBe(0);
      const billed = events.filter((event) => event.model === c.model);
      expect(billed).toHaveLength(calls.length);
      expect(new Set(billed.map((event) => event.id)).size).toBe(billed.length);
      for (const [job, result] of results.entries()) {
        const jobCalls = callsOf(job);
        const jobEvents = billed.filter((event) => event.job_id === jobIds[job]);
        expect(jobEvents.map((event) => event.status).sort()).toEqual(
          jobCalls.map((call) => (call.outcome === 'faulted' ? 'error' : 'success')).sort(),
        );
        const [completed] = jobCalls.filter((call) => call.outcome === 'completed');
        const success = jobEvents.find((event) => event.status === 'success');
        expect(success).toMatchObject({
          tenant: 'default',
          provider: c.provider,
          provider_model: c.providerModel,
          completion_tokens: 0,
          prompt_tokens: result.usage.prompt_tokens,
        });
        expect(result.usage.prompt_tokens).toBeGreaterThan(0);
        if (c.reportsTokens) expect(result.usage.prompt_tokens).toBe(completed?.promptTokens);
        expect(success?.cost_usd).toBeCloseTo(
          (result.usage.prompt_tokens * c.inputPrice) / 1e6,
          12,
        );
        expect(result.switchyard.cost_usd).toBe(success?.cost_usd);
        const failed = jobEvents.find((event) => event.status === 'error');
        if (failed !== undefined) expect(failed).toMatchObject({ error_type: 'rate_limit' });
      }
      expect(jobIds.map((jobId) => answers.get(jobId))).toEqual(jobIds.map(() => 1));
    },
  );
});
