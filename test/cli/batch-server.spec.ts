import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { BatchStore, FileStore, type BatchObject } from '@switchyard/batches';
import { filesBucketName } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  quietLogger,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';

const repoRoot = join(import.meta.dirname, '..', '..');

let servers: PipelineServers;
let install: Installation;
let pipeline: RunningPipeline;
let runner: BatchRunner;
let batches: BatchStore;
let dir: string;

beforeAll(async () => {
  servers = await startPipelineServers();
  install = createInstallation(servers, 'cli-batches', {
    models: { triage: 'openai', slow: 'openai' },
    batches: '{ max_in_flight: 8, lease_seconds: 3 }',
  });
  pipeline = await startPipeline(servers, install, ['openai']);
  runner = await startBatchRunner({
    config: install.config,
    nc: pipeline.nc,
    logger: quietLogger,
    progressEveryMs: 100,
    settleGraceMs: 5_000,
  });
  const { streamPrefix, replicas, storage } = install.config.switchyard.nats;
  batches = await BatchStore.open(pipeline.nc, { streamPrefix, replicas, storage });
  dir = mkdtempSync(join(tmpdir(), 'sy-cli-batches-'));
  writeFileSync(join(dir, 'config.yaml'), install.yaml);
});

afterAll(async () => {
  await runner?.stop();
  await pipeline?.stop();
  await servers?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/**
 * `switchyard batch …` as a child process (standard error is a pipe: no progress bar), with the
 * installation's config unless `args` name one.
 */
function batchCli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    [
      'bin/switchyard.mjs',
      'batch',
      ...args,
      ...(args.includes('--config') ? [] : ['--config', join(dir, 'config.yaml')]),
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'error' },
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** A batch input file of `count` chat completions for `model`. */
function inputFile(name: string, model: string, count: number): string {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      custom_id: `${name}-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model, messages: questionMessages },
    }),
  );
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function submit(...args: string[]): Promise<string> {
  const submitted = await batchCli('submit', ...args);
  expect(submitted.err).toMatch(
    /Uploaded .* as file-\w+; batch batch_\w+ of tenant \w+ is validating/,
  );
  expect(submitted.code).toBe(0);
  expect(submitted.out).toMatch(/^batch_\w+\n$/);
  return submitted.out.trim();
}

interface OutputLine {
  custom_id: string;
  response: {
    status_code: number;
    body: { object: string; choices: { message: { content: string } }[] };
  } | null;
  error: { code: string } | null;
}

const jsonLines = (text: string) =>
  text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as OutputLine);

describe('switchyard batch submit … download against the batch runner, workers and the simulator', () => {
  it('submits, follows with progress lines off a terminal until completed, and downloads every answer', async () => {
    const input = inputFile('emails', 'triage', 12);
    const batchId = await submit(input, '--metadata', 'run=nightly', '--metadata', 'team=ops');

    const watched = await batchCli(
      'status',
      batchId,
      '--watch',
      '--poll-ms',
      '100',
      '--progress-every-ms',
      '100',
    );
    expect(watched.code).toBe(0);
    const progress = watched.err.trimEnd().split('\n');
    expect(progress.at(-1)).toBe(`${batchId} completed: 12/12 done (100%), 0 failed`);
    expect(progress.every((line) => line.startsWith(`${batchId} `))).toBe(true);
    expect(watched.err).not.toContain('\r');
    expect(watched.out).toContain(`${batchId}  completed`);
    expect(watched.out).toMatch(/requests +12 total, 12 completed, 0 failed/);
    expect(watched.out).toMatch(/input file +file-\w+/);
    expect(watched.out).toMatch(/output file +file-\w+/);
    expect(watched.out).toMatch(/error file +-/);
    expect(watched.out).toMatch(/completed +\d{4}-\d\d-\d\dT/);
    expect(watched.out).toMatch(/metadata +run=nightly, team=ops/);

    const json = await batchCli('status', batchId, '--json');
    const batch = JSON.parse(json.out) as BatchObject;
    expect(batch).toMatchObject({ id: batchId, status: 'completed', error_file_id: null });
    expect(batch.request_counts).toEqual({ total: 12, completed: 12, failed: 0 });

    const outPath = join(dir, 'emails.out.jsonl');
    const errPath = join(dir, 'emails.err.jsonl');
    const downloaded = await batchCli('download', batchId, '-o', outPath, '--errors', errPath);
    expect(downloaded.code).toBe(0);
    expect(downloaded.err).toContain(`12 output lines written to ${outPath}`);
    expect(downloaded.err).toContain(`0 error lines written to ${errPath}`);
    const lines = jsonLines(readFileSync(outPath, 'utf8'));
    expect(lines).toHaveLength(12);
    expect(lines.map((line) => line.custom_id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `emails-${i}`).sort(),
    );
    const answer = await directAnswer(servers, 'openai');
    for (const line of lines) {
      expect(line.error).toBeNull();
      expect(line.response?.status_code).toBe(200);
      expect(line.response?.body.object).toBe('chat.completion');
      expect(line.response?.body.choices[0]?.message.content).toBe(answer);
    }
    expect(readFileSync(errPath, 'utf8')).toBe('');
    const toStdout = await batchCli('download', batchId);
    expect(toStdout.out).toBe(readFileSync(outPath, 'utf8'));
    expect(servers.sim.calls({ deployment: install.simName('triage') })).toHaveLength(12);
  });

  it('cancels a running batch, refuses its download while it runs, and downloads what was done', async () => {
    servers.sim.setLatency({ ttftMs: 400 }, { deployment: install.simName('slow') });
    const batchId = await submit(inputFile('slow', 'slow', 60), '--tenant', 'acme');
    const early = await batchCli('download', batchId, '--tenant', 'acme');
    expect(early.code).toBe(1);
    expect(early.err).toMatch(
      new RegExp(
        `batch ${batchId} is (validating|in_progress): its files are written when it ends`,
      ),
    );
    await waitUntil(
      async () =>
        ((await batches.get('acme', batchId))?.record.batch.request_counts.completed ?? 0) >= 4,
      30_000,
    );
    const cancelled = await batchCli('cancel', batchId, '--tenant', 'acme');
    expect(cancelled.code).toBe(0);
    expect(cancelled.out).toContain(`Batch ${batchId} is cancelling`);
    const stored = (await batches.get('acme', batchId))?.record.batch;
    expect(['cancelling', 'cancelled']).toContain(stored?.status);
    expect(stored?.cancelling_at).not.toBeNull();

    const watched = await batchCli(
      'status',
      batchId,
      '--tenant',
      'acme',
      '--watch',
      '--poll-ms',
      '100',
    );
    expect(watched.code).toBe(1);
    expect(watched.out).toContain(`${batchId}  cancelled`);
    expect(watched.err.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`^${batchId} cancelled: \\d+/60 done`),
    );

    const again = await batchCli('cancel', batchId, '--tenant', 'acme');
    expect(again.code).toBe(0);
    expect(again.out).toBe(`Batch ${batchId} is already cancelled.\n`);

    const outPath = join(dir, 'slow.out.jsonl');
    const errPath = join(dir, 'slow.err.jsonl');
    expect(
      (await batchCli('download', batchId, '--tenant', 'acme', '-o', outPath, '-e', errPath)).code,
    ).toBe(0);
    const done = jsonLines(readFileSync(outPath, 'utf8'));
    const errors = jsonLines(readFileSync(errPath, 'utf8'));
    const final = (await batches.get('acme', batchId))?.record.batch;
    expect(done.length).toBe(final?.request_counts.completed);
    expect(done.length).toBeGreaterThanOrEqual(4);
    expect(done.length + errors.length).toBe(60);
    expect(
      errors.every((line) => ['cancelled', 'batch_cancelled'].includes(line.error?.code ?? '')),
    ).toBe(true);
  });

  it('lists a tenant’s batches newest first, and refuses what is not there', async () => {
    const first = await submit(inputFile('list-a', 'triage', 2), '--tenant', 'lister');
    const second = await submit(inputFile('list-b', 'triage', 3), '--tenant', 'lister');
    const listed = await batchCli('list', '--tenant', 'lister');
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.out.trimEnd().split('\n');
    expect(header).toMatch(/^ID +STATUS +CREATED +DONE +FAILED +INPUT FILE$/);
    expect(rows.map((row) => row.split(/ +/)[0])).toEqual([second, first]);
    const limited = await batchCli('list', '--tenant', 'lister', '--limit', '1');
    // The columns are as wide as this listing's cells (the statuses move on in between).
    expect(limited.out.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ID +STATUS +CREATED/),
      expect.stringMatching(new RegExp(`^${second} `)),
      '… more than 1; --limit shows more',
    ]);
    expect((await batchCli('list', '--tenant', 'nobody')).out).toBe(
      'No batches of tenant nobody.\n',
    );

    // Another tenant's batch, an unknown id and something that is no batch id are all not found.
    for (const [id, tenant] of [
      [first, 'default'],
      ['batch_0000000000000000000000', 'lister'],
      ['not-a-batch', 'lister'],
    ] as const) {
      for (const command of ['status', 'cancel', 'download']) {
        const refused = await batchCli(command, id, '--tenant', tenant);
        expect(refused.code, `${command} ${id} ${tenant}`).toBe(1);
        expect(refused.err).toContain(`no batch "${id}" of tenant "${tenant}"`);
      }
    }
    await waitUntil(
      async () => (await batches.get('lister', first))?.record.batch.status === 'completed',
      30_000,
    );
    const refused = await batchCli('cancel', first, '--tenant', 'lister');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`cannot cancel batch ${first}: its status is completed`);
  });

  it('refuses a file past max_requests_per_file or max_file_bytes, and keeps none of it', async () => {
    const limited = join(dir, 'limited.yaml');
    writeFileSync(
      limited,
      install.yaml.replace(
        'batches: { max_in_flight: 8, lease_seconds: 3 }',
        'batches: { max_in_flight: 8, max_requests_per_file: 3, max_file_bytes: 2000 }',
      ),
    );
    const submitLimited = (path: string) =>
      batchCli('submit', path, '--tenant', 'limited', '--config', limited);
    const tooMany = await submitLimited(inputFile('four', 'triage', 4));
    expect(tooMany.code).toBe(1);
    expect(tooMany.err).toMatch(/four\.jsonl has 4 lines; a batch may have at most 3/);
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, `${'x'.repeat(3000)}\n`);
    const tooLarge = await submitLimited(big);
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.err).toMatch(/big\.jsonl is larger than 2000 bytes/);
    const { streamPrefix, replicas, storage } = install.config.switchyard.nats;
    const files = await FileStore.open(pipeline.nc, { streamPrefix, replicas, storage });
    expect((await files.list('limited')).data).toEqual([]);
    // Not even an object without a purpose (which the Files API would not list) is left.
    const objects = await new Objm(jetstream(pipeline.nc)).open(filesBucketName(streamPrefix));
    const stored = async () =>
      (await objects.list()).filter((info) => info.name.startsWith('limited/'));
    expect(await stored()).toEqual([]);
    expect((await batches.list('limited', { limit: 10 })).data).toEqual([]);
    expect((await submitLimited(inputFile('three', 'triage', 3))).code).toBe(0);
    expect((await files.list('limited')).data).toHaveLength(1);
    expect(await stored()).toHaveLength(1);
  });
});
