import { symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findFreePort } from '@switchyard/local-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, startUp, untilReady, UpStacks } from './up-process.test-support';

const stacks = new UpStacks();
beforeAll(() => stacks.startServers());
afterAll(() => stacks.stopServers());
afterEach(() => stacks.cleanup());

describe('switchyard up when something goes wrong', () => {
  it('stops the whole stack with exit code 1 when a service dies', async () => {
    const { up } = await stacks.up();
    await untilReady(up);
    const pids = up.servicePids();
    const victim = pids.get('worker-openai');
    expect(victim).toBeDefined();
    process.kill(victim as number, 'SIGKILL');
    expect(await up.exited, up.output()).toBe(1);
    expect(up.output()).toMatch(
      /worker-openai \(pid \d+\) was killed by SIGKILL unexpectedly: stopping the whole stack/,
    );
    for (const [name, pid] of pids) expect(isAlive(pid), `${name} (pid ${pid})`).toBe(false);
  });

  it('exits 1 without starting anything on a broken config (every problem printed), a config without keys, no server to be had, a bad port, --host beyond loopback without a master key', async () => {
    const { up, cwd } = await stacks.up(['--config', 'broken.yaml']);
    expect(await up.exited).toBe(1);
    expect(up.output()).toContain('config file broken.yaml does not exist');

    writeFileSync(
      join(cwd, 'config.yaml'),
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params:',
        '      model: openai/gpt-4o',
        '      rpm: fast',
        '  - model_name: b',
        '    litellm_params:',
        '      model: sagemaker/x',
      ].join('\n'),
    );
    const broken = startUp([], {
      cwd,
      env: { ...process.env, ...stacks.serverEnv() },
    });
    stacks.track(broken);
    expect(await broken.exited, broken.output()).toBe(1);
    expect(broken.output()).toMatch(/config\.yaml is not a valid Switchyard config \(2 problems\)/);
    expect(broken.output()).toMatch(/config\.yaml:5:\d+ model_list\[0\]\.litellm_params\.rpm/);
    expect(broken.output()).toMatch(
      /model_list\[1\]\.litellm_params\.model: provider "sagemaker" is not supported/,
    );
    expect(broken.servicePids().size).toBe(0);

    writeFileSync(
      join(cwd, 'config.yaml'),
      ['model_list:', '  - model_name: a', '    litellm_params: { model: openai/gpt-4o }'].join(
        '\n',
      ),
    );
    const withoutKey = { ...process.env, OPENAI_API_KEY: undefined };
    const keyless = startUp([], {
      cwd,
      env: { ...withoutKey, ...stacks.serverEnv() },
    });
    stacks.track(keyless);
    expect(await keyless.exited, keyless.output()).toBe(1);
    expect(keyless.output()).toContain(
      'config.yaml: no deployment has an API key (set OPENAI_API_KEY, or api_key in the config). To run the offline demo against the bundled provider simulator instead: npm start -- --demo',
    );
    expect(keyless.servicePids().size).toBe(0);

    const pathWithNodeOnly = stacks.tempDir('path');
    symlinkSync(process.execPath, join(pathWithNodeOnly, 'node'));
    const serverless = startUp([], {
      cwd: stacks.tempDir('no-servers'),
      env: {
        ...process.env,
        PATH: pathWithNodeOnly,
        DOCKER_HOST: 'tcp://127.0.0.1:1',
        NATS_URL: `nats://127.0.0.1:${await findFreePort()}`,
      },
    });
    stacks.track(serverless);
    expect(await serverless.exited, serverless.output()).toBe(1);
    expect(serverless.output()).toMatch(
      /nats: nothing answers at nats:\/\/127\.0\.0\.1:\d+, nats-server is not on PATH and no Docker engine answers; install nats-server \(Debian\/Ubuntu: apt-get install nats-server; macOS: brew install nats-server\), start a Docker engine/,
    );

    const garbage = startUp(['--port', 'forty'], { cwd, env: process.env });
    stacks.track(garbage);
    expect(await garbage.exited).toBe(1);
    expect(garbage.output()).toContain('--port must be a port number from 1 to 65535, got "forty"');

    const exposed = startUp(['--demo', '--host', '0.0.0.0'], {
      cwd,
      env: { ...process.env, ...stacks.serverEnv() },
    });
    stacks.track(exposed);
    expect(await exposed.exited, exposed.output()).toBe(1);
    expect(exposed.output()).toContain(
      '--host 0.0.0.0: the config has no master key, so the gateway would serve anyone as tenant "default" with every model; it listens on 127.0.0.1 only. Set general_settings.master_key to listen on other interfaces',
    );
    expect(exposed.servicePids().size).toBe(0);
  });

  it('refuses to start when the simulator port is taken by another program', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const { up } = await stacks.up(['--sim-port', String(port)]);
      expect(await up.exited).toBe(1);
      expect(up.output()).toContain(
        `the provider simulator cannot listen on 127.0.0.1:${port}: another program uses that port; stop it, or choose another port with --sim-port`,
      );
      expect(up.servicePids().size).toBe(0);
    } finally {
      blocker.close();
    }
  });
});
