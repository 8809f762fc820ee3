import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliCommand } from './cli-command';

/** A Writable that keeps what is written, for a command's stdout or stderr. */
export function captured(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs a command in-process as `switchyard <name> …argv`; resolves to its exit code and output. */
export async function runCommand(
  command: CliCommand,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out = captured();
  const err = captured();
  const code = await command.run({ argv, env: {}, out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

/**
 * A config file of its own for one test: one model (`alpha`, on an unreachable OpenAI-style
 * deployment) on the given servers, with `prefix` as subject root, stream prefix and Redis key
 * prefix.
 */
export function writeTestConfig(options: {
  natsUrl: string;
  redisUrl: string;
  prefix: string;
}): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sy-cli-')), 'config.yaml');
  writeFileSync(
    path,
    [
      'model_list:',
      '  - model_name: alpha',
      '    litellm_params: { model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:9/v1", api_key: k }',
      '  - model_name: beta',
      '    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: k }',
      'switchyard:',
      `  nats: { servers: "${options.natsUrl}", subject_root: ${options.prefix}, stream_prefix: ${options.prefix}, storage: memory }`,
      `  redis: { url: "${options.redisUrl}", key_prefix: "${options.prefix}:" }`,
    ].join('\n'),
  );
  return path;
}
