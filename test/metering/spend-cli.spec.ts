import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { parseConfig } from '@switchyard/config';
import { CONTRACT_VERSION, createSubjects, newCallId, usageEventId } from '@switchyard/contracts';
import { closeNats, connectNats, publishUsageEvent } from '@switchyard/messaging';
import { startMetering, type Metering } from '@switchyard/metering';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/switchyard.mjs', import.meta.url));
const logger = createLogger({ name: 'spend-cli-spec', level: 'silent' });

/** Runs `switchyard spend …`; resolves to the exit code and output. */
async function spend(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, 'spend', ...argv]);
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

describe('switchyard spend, against a running metering', () => {
  let nats: TestServer;
  let redisServer: TestServer;
  let nc: NatsConnection;
  let redis: Redis;
  let metering: Metering | undefined;
  let configPath: string;

  beforeAll(async () => {
    [nats, redisServer] = await Promise.all([startTestNats(), startTestRedis()]);
    nc = await connectNats({ servers: nats.url, name: 'spend-cli-spec', logger });
    redis = new Redis(redisServer.url);
    const prefix = uniquePrefix('spend-cli');
    const yaml = [
      'model_list:',
      '  - model_name: triage',
      '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
      'switchyard:',
      `  nats: { servers: "${nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory }`,
      `  redis: { url: "${redisServer.url}", key_prefix: "${prefix}:" }`,
    ].join('\n');
    configPath = join(mkdtempSync(join(tmpdir(), 'sy-spend-')), 'config.yaml');
    writeFileSync(configPath, yaml);
    const { config } = parseConfig(yaml, { env: {} });
    let applied = 0;
    metering = await startMetering({
      config,
      nc,
      redis,
      logger,
      onSettled: (o) => (applied += o.length),
    });
    const subjects = createSubjects(prefix);
    const events = [
      { tenant: 'acme', model: 'triage', provider: 'openai', prompt: 1_000_000, completion: 0 },
      { tenant: 'beta', model: 'triage', provider: 'openai', prompt: 10, completion: 20 },
      { tenant: 'beta', model: 'local', provider: 'hosted_vllm', prompt: 5, completion: 5 },
    ];
    for (const [i, e] of events.entries()) {
      const job = `cli-job-${i}`;
      const known = e.provider === 'openai';
      await publishUsageEvent(
        jetstream(nc),
        {
          v: CONTRACT_VERSION,
          id: usageEventId({
            tenant: e.tenant,
            job_id: job,
            fallback_depth: 0,
            attempt: 1,
            call_id: newCallId(),
          }),
          job_id: job,
          tenant: e.tenant,
          model: e.model,
          deployment: `${e.model}/0`,
          provider: e.provider,
          provider_model: known ? 'gpt-4o-mini' : 'llama',
          status: 'success',
          prompt_tokens: e.prompt,
          completion_tokens: e.completion,
          cached_tokens: 0,
          reasoning_tokens: 0,
          cost_usd: known ? (e.prompt * 150_000 + e.completion * 600_000) / 1e12 : null,
          cost_saved_usd: 0,
          queue_ms: 1,
          provider_ms: 1,
          total_ms: 2,
          attempt: 1,
          fallback_depth: 0,
          at: Date.now(),
        },
        { subjects },
      );
    }
    while (applied < events.length) await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(async () => {
    await metering?.stop();
    await closeNats(nc);
    redis.disconnect();
    await Promise.all([nats.stop(), redisServer.stop()]);
  });

  it('prints spend by model as a table, unpriced calls counted apart', async () => {
    const { code, out } = await spend('--by', 'model', '--since', '7d', '--config', configPath);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^spend by model, all tenants, /);
    expect(lines[1]).toMatch(/^MODEL\s+REQUESTS/);
    expect(lines[2]).toMatch(/^triage\s+2\s+0\s+1,000,010\s+20\s.*\$0\.150014$/);
    expect(lines[3]).toMatch(/^local\s+1\s+0\s+5\s+5\s+0\s+0\s+1\s+\$0\.000000\s+\$0\.000000$/);
    expect(lines[4]).toMatch(/^TOTAL\s+3\s/);
    expect(out).toMatch(/no known price/);
  });

  it('filters by tenant and groups by provider', async () => {
    const { code, out } = await spend(
      '--by',
      'provider',
      '--since',
      '1d',
      '--tenant',
      'beta',
      '--config',
      configPath,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/spend by provider, tenant beta/);
    expect(out).toMatch(/\nopenai\s+1\s/);
    expect(out).toMatch(/\nhosted_vllm\s+1\s/);
    expect(out).not.toMatch(/1,000,000/);
  });

  it('refuses a bad dimension or duration with a clear message', async () => {
    const colour = await spend('--by', 'colour', '--config', configPath);
    expect(colour.code).toBe(1);
    expect(colour.err).toMatch(/spend: by: /);
    const since = await spend('--since', 'last week', '--config', configPath);
    expect(since.code).toBe(1);
    expect(since.err).toMatch(/since/);
  });

  it('says so when no metering process answers', async () => {
    await metering?.stop();
    metering = undefined;
    const { code, err } = await spend('--config', configPath);
    expect(code).toBe(1);
    expect(err).toMatch(/no metering process answers/);
  });
});
