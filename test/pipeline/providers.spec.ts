import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineProvider,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

const providers: readonly PipelineProvider[] = ['openai', 'anthropic', 'gemini'];

describe('pipeline: a job for each provider through the client', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-providers', {
      models: {
        'model-openai': 'openai',
        'model-anthropic': 'anthropic',
        'model-gemini': 'gemini',
      },
    });
    pipeline = await startPipeline(servers, install, providers);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  it.each(providers)(
    '%s: the result is the provider answer, naming deployment and provider',
    async (provider) => {
      const model = `model-${provider}`;
      const expected = await directAnswer(servers, provider);
      const result = await pipeline.client.chat.completions.create({
        model,
        messages: questionMessages,
      });
      expect(result.object).toBe('chat.completion');
      expect(result.model).toBe(model);
      expect(result.choices[0]?.message.content).toBe(expected);
      expect(result.usage?.prompt_tokens).toBe(13);
      expect(result.switchyard).toMatchObject({
        provider,
        deployment: install.config.models[model]?.deployments[0]?.id,
        fallback_path: [model],
        attempts: 1,
      });
      expect(servers.sim.stats().deployments[install.simName(model)]?.completed).toBe(1);
    },
  );

  it.each(providers)(
    '%s: a streamed job gives the same text in seq order, one final chunk with usage',
    async (provider) => {
      const model = `model-${provider}`;
      const expected = await directAnswer(servers, provider);
      const stream = await pipeline.client.chat.completions.create({
        model,
        messages: questionMessages,
        stream: true,
      });
      const seqs: number[] = [];
      let text = '';
      let finals = 0;
      let last: unknown;
      for await (const chunk of stream) {
        seqs.push(chunk.switchyard.seq);
        text += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
        if (chunk.switchyard.final) finals += 1;
        last = chunk;
      }
      expect(text).toBe(expected);
      expect(finals).toBe(1);
      expect(seqs).toEqual(seqs.map((_, index) => index));
      expect(last).toMatchObject({
        usage: { prompt_tokens: 13 },
        switchyard: {
          final: true,
          provider,
          deployment: install.config.models[model]?.deployments[0]?.id,
          fallback_path: [model],
        },
      });
      expect(servers.sim.stats().deployments[install.simName(model)]?.streams).toBe(1);
    },
  );
});
