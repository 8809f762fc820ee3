import { SwitchyardError } from '@switchyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  questionMessages,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

describe('pipeline: pre-call checks (enable_pre_call_checks, max_input_tokens)', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-precall', {
      models: {
        'first-small': [
          { provider: 'openai', params: 'order: 1', modelInfo: 'max_input_tokens: 5' },
          { provider: 'openai', params: 'order: 2' },
        ],
        'big-enough': [{ provider: 'openai', modelInfo: 'max_input_tokens: 100' }],
        split: [
          { provider: 'openai', modelInfo: 'max_input_tokens: 5' },
          { provider: 'anthropic' },
        ],
        tiny: [
          { provider: 'openai', modelInfo: 'max_input_tokens: 5' },
          { provider: 'anthropic', modelInfo: 'max_input_tokens: 6' },
        ],
        roomy: 'gemini',
        'no-way': [{ provider: 'openai', modelInfo: 'max_input_tokens: 5' }],
        'general-backup': 'anthropic',
      },
      router: [
        '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1, enable_pre_call_checks: true,',
        '  fallbacks: [{ tiny: [general-backup] }],',
        '  context_window_fallbacks: [{ tiny: [roomy] }] }',
      ].join(' '),
    });
    pipeline = await startPipeline(servers, install, ['openai', 'anthropic', 'gemini']);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  const deploymentId = (model: string, index = 0) =>
    install.config.models[model]?.deployments[index]?.id;
  const requests = (model: string, index = 0) =>
    servers.sim.stats().deployments[install.simName(model, index)]?.requests ?? 0;
  const ask = (model: string) =>
    pipeline.client.chat.completions.create({ model, messages: questionMessages });

  it('skips a deployment whose max_input_tokens is below the prompt, without calling it', async () => {
    const result = await ask('first-small');
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('first-small', 1),
      fallback_path: ['first-small'],
      attempts: 1,
    });
    expect(requests('first-small', 0)).toBe(0);
    expect(requests('first-small', 1)).toBe(1);
  });

  it('uses a deployment whose window holds the prompt', async () => {
    const result = await ask('big-enough');
    expect(result.switchyard).toMatchObject({ deployment: deploymentId('big-enough') });
    expect(requests('big-enough')).toBe(1);
  });

  it("leaves a prompt too long for one provider's pool to the other provider's", async () => {
    const result = await ask('split');
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('split', 1),
      provider: 'anthropic',
      fallback_path: ['split'],
    });
    expect(requests('split', 0)).toBe(0);
  });

  it('sends a prompt no deployment can hold to context_window_fallbacks with no call', async () => {
    const result = await ask('tiny');
    expect(result.model).toBe('roomy');
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('roomy'),
      provider: 'gemini',
      fallback_path: ['tiny', 'roomy'],
    });
    expect(requests('tiny', 0)).toBe(0);
    expect(requests('tiny', 1)).toBe(0);
    expect(requests('general-backup')).toBe(0);
  });

  it('answers context_window_exceeded naming the skipped deployments when there is no fallback', async () => {
    const error = await ask('no-way').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toMatchObject({
      type: 'context_window_exceeded',
      deploymentsTried: [
        {
          deployment: deploymentId('no-way'),
          type: 'context_window_exceeded',
          code: 'pre_call_check',
        },
      ],
    });
    expect(requests('no-way')).toBe(0);
  });
});
