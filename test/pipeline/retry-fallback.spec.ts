import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

describe('pipeline: retries, dead letters and fallbacks', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-fallback', {
      models: {
        flaky: 'openai',
        limited: 'openai',
        backup: 'anthropic',
        'small-window': 'openai',
        'large-window': 'gemini',
        'general-backup': 'anthropic',
      },
      router: [
        '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1,',
        '  fallbacks: [{ limited: [backup] }, { small-window: [general-backup] }],',
        '  context_window_fallbacks: [{ small-window: [large-window] }] }',
      ].join(' '),
    });
    pipeline = await startPipeline(servers, install, ['openai', 'anthropic', 'gemini']);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  const deploymentId = (model: string) => install.config.models[model]?.deployments[0]?.id;

  it('retries a 429 after its Retry-After, on the same model', async () => {
    const sim = install.simName('flaky');
    servers.sim.addFaults([{ deployment: sim, fault: 'rate_limit; retry_after=2', count: 1 }]);
    const started = Date.now();
    const result = await pipeline.client.chat.completions.create({
      model: 'flaky',
      messages: questionMessages,
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.choices[0]?.message.content).toBe(await directAnswer(servers, 'openai'));
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('flaky'),
      provider: 'openai',
      fallback_path: ['flaky'],
      attempts: 2,
    });
    const stats = servers.sim.stats().deployments[sim];
    expect(stats?.requests).toBe(2);
    expect(stats?.faults).toEqual({ rate_limit: 1 });
  });

  it('dead-letters a persistent 429 once the retries are spent; the fallback model answers', async () => {
    const sim = install.simName('limited');
    servers.sim.addFaults([{ deployment: sim, fault: 'rate_limit; retry_after=1', count: 1_000 }]);
    const result = await pipeline.client.chat.completions.create({
      model: 'limited',
      messages: questionMessages,
    });
    expect(result.model).toBe('backup');
    expect(result.choices[0]?.message.content).toBe(await directAnswer(servers, 'anthropic'));
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('backup'),
      provider: 'anthropic',
      fallback_path: ['limited', 'backup'],
    });
    // num_retries: 1 → two calls, both 429, then the dead letter.
    expect(servers.sim.stats().deployments[sim]?.faults).toEqual({ rate_limit: 2 });
    expect(servers.sim.stats().deployments[install.simName('backup')]?.completed).toBe(1);
  });

  it('sends a context-length error straight to context_window_fallbacks, without a retry', async () => {
    const sim = install.simName('small-window');
    servers.sim.configure({ contextWindow: 5 }, { deployment: sim });
    const result = await pipeline.client.chat.completions.create({
      model: 'small-window',
      messages: questionMessages,
    });
    expect(result.model).toBe('large-window');
    expect(result.choices[0]?.message.content).toBe(await directAnswer(servers, 'gemini'));
    expect(result.switchyard).toMatchObject({
      deployment: deploymentId('large-window'),
      provider: 'gemini',
      fallback_path: ['small-window', 'large-window'],
    });
    const stats = servers.sim.stats().deployments[sim];
    expect(stats?.requests).toBe(1);
    expect(stats?.faults).toEqual({ context_length: 1 });
    expect(servers.sim.stats().deployments[install.simName('general-backup')]).toBeUndefined();
  });
});
