import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, modelConsumerName, streamNames } from '@switchyard/contracts';
import {
  closeNats,
  connectNats,
  provisionTopology,
  publishDeadLetter,
} from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, writeTestConfig } from '../cli-output.test-support';
import { dlqCommand } from './dlq-command';

const logger = createLogger({ name: 'dlq-spec', level: 'silent' });
let server: TestServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startTestNats();
  nc = await connectNats({ servers: server.url, name: 'dlq-spec', logger });
});
afterAll(async () => {
  if (nc) await closeNats(nc);
  await server?.stop();
});

async function setup(label: string) {
  const prefix = uniquePrefix(label);
  await provisionTopology(nc, {
    subjectRoot: prefix,
    streamPrefix: prefix,
    storage: 'memory',
    models: ['alpha', 'beta'],
    ackWaitMs: 30_000,
    logger,
  });
  const subjects = createSubjects(prefix);
  const deadLetter = (id: string, model: string, tenant = 'default') =>
    publishDeadLetter(
      jetstream(nc),
      {
        v: 1,
        id,
        tenant,
        model,
        request: { messages: [{ role: 'user', content: 'hi' }] },
        submitted_at: Date.now(),
      },
      { errorType: 'server', attempt: 3, replyTo: `${prefix}.results.${tenant}.b1`, subjects },
    );
  const config = writeTestConfig({ natsUrl: server.url, redisUrl: 'redis://127.0.0.1:9', prefix });
  const dlq = (...argv: string[]) => runCommand(dlqCommand, [...argv, '--config', config]);
  const pendingJobs = async (model: string) =>
    (
      await (
        await jetstreamManager(nc)
      ).consumers.info(streamNames(prefix).jobs, modelConsumerName(model))
    ).num_pending;
  return { deadLetter, dlq, pendingJobs };
}

describe('switchyard dlq against a real nats-server', () => {
  it('lists dead letters in a table, filtered by model and tenant, up to the limit', async () => {
    const { deadLetter, dlq } = await setup('dlq-list');
    expect((await dlq('list')).out).toBe('No dead letters.\n');
    await deadLetter('job-a', 'alpha');
    await deadLetter('job-b', 'beta');
    await deadLetter('job-c', 'alpha', 'acme');
    const all = await dlq('list');
    expect(all.code).toBe(0);
    const [header, ...rows] = all.out.trimEnd().split('\n');
    expect(header).toMatch(/^SEQ +STORED +TENANT +MODEL +JOB +ERROR +ATTEMPT +REPLY TO$/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^1 +\S+Z +default +alpha +job-a +server +3 +T_dlq-list_\w+\.results\.default\.b1$/,
    );
    expect((await dlq('list', '--model', 'alpha')).out).not.toContain('job-b');
    const acme = await dlq('list', '--tenant', 'acme');
    expect(acme.out).toContain('job-c');
    expect(acme.out).not.toContain('job-a');
    expect((await dlq('list', '--limit', '1')).out.trimEnd().split('\n')).toHaveLength(2);
    await expect(dlq('list', '--limit', '0')).rejects.toThrow(/--limit must be a whole number/);
  });

  it('replays by sequence or by job id, back onto the model queue', async () => {
    const { deadLetter, dlq, pendingJobs } = await setup('dlq-replay');
    await deadLetter('job-x', 'alpha');
    await deadLetter('job-y', 'beta');
    const bySeq = await dlq('replay', '1');
    expect(bySeq.code).toBe(0);
    expect(bySeq.out).toContain('Replayed dead letter 1: job job-x sent again to alpha.');
    expect(await pendingJobs('alpha')).toBe(1);
    const byId = await dlq('replay', 'job-y');
    expect(byId.out).toContain('Replayed dead letter 2: job job-y sent again to beta.');
    expect(await pendingJobs('beta')).toBe(1);
    const again = await dlq('replay', '2');
    expect(again.out).toContain('already replayed within the duplicate window');
    expect(await pendingJobs('beta')).toBe(1);
  });

  it('says what is wrong with a replay target or the command line', async () => {
    const { dlq } = await setup('dlq-bad');
    await expect(dlq('replay', '99')).rejects.toThrow(/no dead letter with sequence 99/);
    await expect(dlq('replay', 'job-none')).rejects.toThrow(/no dead letter of job "job-none"/);
    expect((await dlq('replay')).code).toBe(2);
    expect((await dlq('purge')).code).toBe(2);
    await expect(dlq('list', '--tenant', 'a.b')).rejects.toThrow(/--tenant must be/);
  });

  it('says which NATS it cannot reach', async () => {
    const config = writeTestConfig({
      natsUrl: 'nats://127.0.0.1:9',
      redisUrl: 'redis://127.0.0.1:9',
      prefix: 'x',
    });
    await expect(runCommand(dlqCommand, ['list', '--config', config])).rejects.toThrow(
      /cannot reach NATS at nats:\/\/127\.0\.0\.1:9/,
    );
  });
});
