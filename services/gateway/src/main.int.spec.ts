import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtServiceMain, uniquePrefix } from '@switchyard/testing';
import { specConfigYaml, startSpecServers } from './gateway-spec-setup.test-support';

const mainPath = builtServiceMain('gateway');

/** A config file of its own (see specConfigYaml), on `servers`. */
function configFile(
  servers: { nats: { url: string }; redis: { url: string } },
  masterKey?: string,
): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sy-gateway-main-')), 'config.yaml');
  writeFileSync(path, specConfigYaml(servers, { prefix: uniquePrefix('gw-main'), masterKey }));
  return path;
}

/**
 * The real gateway process (`node dist/services/gateway/main.mjs`), as the image's entry point, compose
 * and Kubernetes start it. Resolves `listening` with its URL once it says so.
 */
function startMain(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [mainPath, '--port', '0', ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /gateway listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url !== undefined) resolve(url);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  /** The messages of its pino lines at warn level. */
  const warnings = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 40)
      .map((line) => line.msg);
  return { child, exited, listening, warnings, stderr: () => stderr };
}

describe('services/gateway/src/main.ts: the master key rule', () => {
  let servers: Awaited<ReturnType<typeof startSpecServers>>;

  beforeAll(async () => {
    servers = await startSpecServers();
  });
  afterAll(() => servers?.stop());

  it('refuses to start without a master key, saying what to set or which flag to pass', async () => {
    // Nothing listens on port 9: the refusal comes before any connection is tried.
    const config = configFile({
      nats: { url: 'nats://127.0.0.1:9' },
      redis: { url: 'redis://127.0.0.1:9' },
    });
    const gateway = startMain(['--config', config, '--host', '0.0.0.0']);
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toBe(
      `gateway: no master key in ${config}, so every request would be served as tenant "default" ` +
        'with every model, whatever key it carries. Set general_settings.master_key ' +
        '(e.g. `master_key: os.environ/SWITCHYARD_MASTER_KEY`, with SWITCHYARD_MASTER_KEY set to ' +
        'the output of `openssl rand -hex 32`), or start the gateway with --insecure to run it ' +
        'open anyway\n',
    );
    await expect(gateway.listening).rejects.toThrow('exited with 1');
  });

  it('starts open with --insecure, warning that anyone who reaches it is tenant "default"', async () => {
    const config = configFile(servers);
    const gateway = startMain(['--config', config, '--insecure']);
    const url = await gateway.listening;
    expect(gateway.warnings()).toContainEqual(
      expect.stringMatching(
        /^--insecure: no master key, so anyone who reaches 127\.0\.0\.1:0 is served as tenant "default" with every model/,
      ),
    );
    expect((await fetch(`${url}/v1/models`)).status).toBe(200);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('requires a key when the master key comes from the environment, and says --insecure changes nothing', async () => {
    const config = configFile(servers, 'os.environ/SWITCHYARD_MASTER_KEY');
    const gateway = startMain(['--config', config, '--insecure'], {
      SWITCHYARD_MASTER_KEY: 'sk-main-spec-key',
    });
    const url = await gateway.listening;
    expect(gateway.warnings()).toContain(
      '--insecure has no effect: general_settings.master_key is set, every request needs a key',
    );
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    const authorized = await fetch(`${url}/v1/models`, {
      headers: { authorization: 'Bearer sk-main-spec-key' },
    });
    expect(authorized.status).toBe(200);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});
