import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../cli-output.test-support';
import { demoConfigPath } from '../config-source';
import { batchCommand } from './batch-command';

const good = (id: string) =>
  JSON.stringify({
    custom_id: id,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'fast-triage-model', messages: [{ role: 'user', content: 'hi' }] },
  });

function files(input: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sy-batch-cmd-'));
  writeFileSync(join(dir, 'in.jsonl'), input);
  return { input: join(dir, 'in.jsonl'), output: join(dir, 'out.jsonl') };
}

const batch = (...argv: string[]) =>
  runCommand(batchCommand, ['run', ...argv, '--config', demoConfigPath]);

describe('switchyard batch run: refusing bad input before connecting to anything', () => {
  it('lists every bad line with its number, exits 1 and writes nothing', async () => {
    const { input, output } = files(
      [
        good('a'),
        '{oops',
        good('a'),
        '{"custom_id":"c","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}}',
      ].join('\n'),
    );
    const result = await batch(input, '-o', output);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${input}:2: malformed JSON`);
    expect(result.err).toContain(`${input}:3: duplicate custom_id "a" (first on line 1)`);
    expect(result.err).toContain(`${input}:4: unknown model "gpt-9"`);
    expect(result.err).toContain('3 problems');
    expect(result.err).toContain('nothing was submitted');
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.submitted`)).toBe(false);
  });

  it('shows the first 50 problems of a file full of garbage', async () => {
    const { input, output } = files(Array.from({ length: 80 }, () => 'garbage').join('\n'));
    const result = await batch(input, '-o', output);
    expect(result.code).toBe(1);
    expect(result.err.split('\n').filter((l) => l.includes('malformed JSON'))).toHaveLength(50);
    expect(result.err).toContain('… and 30 more. 80 problems');
  });

  it('refuses a wrong command line', async () => {
    const { input, output } = files(good('a'));
    await expect(batch(input)).rejects.toThrow('batch run needs -o <results.jsonl>');
    await expect(batch(input, '-o', output, '--tenant', 'a.b')).rejects.toThrow(/--tenant must be/);
    await expect(batch(input, '-o', output, '--batch-id', 'x y')).rejects.toThrow(
      /--batch-id must be/,
    );
    await expect(batch(input, '-o', output, '--concurrency', '0')).rejects.toThrow(/--concurrency/);
    await expect(batch(`${input}.missing`, '-o', output)).rejects.toThrow(/cannot read/);
    expect((await runCommand(batchCommand, ['go', input])).code).toBe(2);
    expect((await runCommand(batchCommand, ['run'])).code).toBe(2);
  });
});

describe('switchyard batch submit|status|list|cancel|download: refusing a wrong command line', () => {
  const server = (...argv: string[]) =>
    runCommand(batchCommand, [...argv, '--config', demoConfigPath]);

  it('wants exactly the arguments of each subcommand', async () => {
    for (const argv of [
      ['submit'],
      ['submit', 'a.jsonl', 'b.jsonl'],
      ['status'],
      ['list', 'batch_x'],
      ['cancel'],
      ['download', 'batch_x', 'more'],
    ]) {
      expect((await server(...argv)).code, argv.join(' ')).toBe(2);
    }
  });

  it('refuses the options of another subcommand, a bad tenant, metadata or limit', async () => {
    await expect(server('list', '--watch')).rejects.toThrow('batch list does not take --watch');
    await expect(server('status', 'batch_x', '-o', 'out.jsonl')).rejects.toThrow(
      'batch status does not take --output',
    );
    await expect(server('cancel', 'batch_x', '--metadata', 'a=b')).rejects.toThrow(
      'batch cancel does not take --metadata',
    );
    const { input, output } = files(good('a'));
    await expect(batch(input, '-o', output, '--watch')).rejects.toThrow(
      'batch run does not take --watch',
    );
    await expect(server('list', '--tenant', 'a.b')).rejects.toThrow(/--tenant must be/);
    await expect(server('list', '--limit', '0')).rejects.toThrow(/--limit must be/);
    await expect(server('submit', input, '--metadata', 'nokey')).rejects.toThrow(
      '--metadata must be key=value, got "nokey"',
    );
  });
});
