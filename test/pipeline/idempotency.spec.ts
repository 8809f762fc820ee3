import { ConflictError, ContentPolicyError } from '@switchyard/client';
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

describe('pipeline: a job id chosen by the caller is an idempotency key', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-idem', {
      models: {
        triage: 'openai',
        strict: 'openai',
        embed: [{ provider: 'openai', model: 'text-embedding-3-small' }],
      },
      router: '{ num_retries: 0, allowed_fails: 100, cooldown_time: 1 }',
      nats: 'duplicate_window_seconds: 1',
    });
    pipeline = await startPipeline(servers, install, ['openai']);
    servers.sim.setLatency({ ttftMs: 400 }, { deployment: install.simName('triage') });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  const calls = (model: string) => servers.sim.calls({ deployment: install.simName(model) }).length;
  const ask = (jobId: string, content = 'Is the 8:15 late again?') =>
    pipeline.client.chat.completions.create({
      model: 'triage',
      messages: [{ role: 'user', content }],
      switchyard: { job_id: jobId },
    });

  it('answers the same id submitted twice at once with one provider call and one answer', async () => {
    const before = calls('triage');
    const [first, second] = await Promise.all([ask('idem-1'), ask('idem-1')]);
    expect(second.id).toBe(first.id);
    expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(calls('triage') - before).toBe(1);
  });

  it('answers it from the record once done, within the duplicate window and after it', async () => {
    const before = calls('triage');
    const first = await ask('idem-2');
    const again = await ask('idem-2');
    expect(again.id).toBe(first.id);
    // duplicate_window_seconds: 1 — past it the stream would store the job again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await ask('idem-2');
    expect(later.id).toBe(first.id);
    expect(later.switchyard.cost_usd).toBe(first.switchyard.cost_usd);
    expect(await pipeline.client.jobs.answer('idem-2')).toMatchObject({ id: first.id });
    expect(await pipeline.client.jobs.answer('idem-none', { timeoutMs: 0 })).toBeNull();
    await expect(
      pipeline.client.jobs.answer('idem-none', { timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'client_timeout' });
    expect(calls('triage') - before).toBe(1);
  });

  it('refuses the same id with another request, before and after the first is answered', async () => {
    const before = calls('triage');
    const first = ask('idem-3');
    const clash = await ask('idem-3', 'Something else entirely').catch((error: unknown) => error);
    expect(clash).toBeInstanceOf(ConflictError);
    expect(clash).toMatchObject({ code: 'idempotency_key_reused', status: 409 });
    await first;
    await expect(ask('idem-3', 'Something else entirely')).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    expect(calls('triage') - before).toBe(1);
  });

  it('gives a job whose fallbacks are spent the same final error again, without a call', async () => {
    servers.sim.addFaults([{ deployment: install.simName('strict'), fault: 'content_policy' }]);
    const before = calls('strict');
    const failing = () =>
      pipeline.client.chat.completions.create({
        model: 'strict',
        messages: questionMessages,
        switchyard: { job_id: 'idem-4' },
      });
    const first = await failing().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ContentPolicyError);
    const again = await failing().catch((error: unknown) => error);
    expect(again).toBeInstanceOf(ContentPolicyError);
    expect((again as ContentPolicyError).message).toBe((first as ContentPolicyError).message);
    expect(calls('strict') - before).toBe(1);
  });

  it('answers an embeddings job id submitted again from its record, and refuses it for other input', async () => {
    const before = calls('embed');
    const embed = (input: string) =>
      pipeline.client.embeddings.create({
        model: 'embed',
        input,
        dimensions: 4,
        switchyard: { job_id: 'idem-embed' },
      });
    const [first, second] = await Promise.all([embed('red train'), embed('red train')]);
    const again = await embed('red train');
    for (const answer of [second, again]) {
      expect(answer.data).toEqual(first.data);
      expect(answer.switchyard).toMatchObject({
        job_id: 'idem-embed',
        cost_usd: first.switchyard.cost_usd,
      });
    }
    await expect(embed('green train')).rejects.toMatchObject({
      code: 'idempotency_key_reused',
      status: 409,
    });
    expect(calls('embed') - before).toBe(1);
  });
});
