import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilReady, UpStacks } from '../readme/up-process.test-support';

const masterKey = 'sk-master-7f3c9a1e5b2d4c6e8f0a1b2c3d4e5f60';
const openaiKey = 'sk-proj-Q2x9LmN4pR7tV1wY3zA5bC8dE0fG6hJ2';
const anthropicKey = 'sk-ant-api03-Z8y6X4w2V0u8T6s4R2q0P8o6N4m2L0k8';
const wrongKey = 'sk-wrong-K5j3H1g9F7e5D3c1B9a7Z5y3X1w9V7u5';
// Credentials inside the server URLs (neither test server checks them, so they are accepted).
const natsPassword = 'n4ts-Pw-6d1e0c9b8a7f';
const redisPassword = 'r3dis-Pw-5e4d3c2b1a0f';
const secrets = [masterKey, openaiKey, anthropicKey, wrongKey, natsPassword, redisPassword];

/** A server URL with credentials in it: `nats://user:pw@host:port`. */
function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString().replace(/\/$/, '');
}

describe('logs of the whole stack at LOG_LEVEL=trace', () => {
  const stacks = new UpStacks();
  let sim: ProviderSimHandle;

  beforeAll(async () => {
    await stacks.startServers();
    sim = await startProviderSim({ port: 0 });
  });

  afterAll(async () => {
    await stacks.cleanup();
    await sim?.stop();
    await stacks.stopServers();
  });

  it('never contain an API key, an Authorization value or a server password, whatever the requests did', async () => {
    const folder = stacks.tempDir('secrets');
    const config = join(folder, 'config.yaml');
    writeFileSync(
      config,
      [
        'model_list:',
        '  - model_name: chat',
        `    litellm_params: { model: openai/gpt-4o-mini, api_base: "${sim.url}/d/secrets-chat/v1", api_key: os.environ/SPEC_OPENAI_KEY }`,
        '  - model_name: refused',
        `    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_base: "${sim.url}/d/secrets-refused", api_key: os.environ/SPEC_ANTHROPIC_KEY }`,
        'general_settings: { master_key: os.environ/SPEC_MASTER_KEY }',
      ].join('\n'),
    );
    sim.addFaults([{ deployment: 'secrets-refused', fault: 'auth' }]);
    const servers = stacks.serverEnv();
    const { up, ports } = await stacks.up(['--config', config], {
      NATS_URL: withCredentials(servers.NATS_URL, 'switchyard', natsPassword),
      REDIS_URL: withCredentials(servers.REDIS_URL, '', redisPassword),
      LOG_LEVEL: 'trace',
      SPEC_OPENAI_KEY: openaiKey,
      SPEC_ANTHROPIC_KEY: anthropicKey,
      SPEC_MASTER_KEY: masterKey,
    });
    await untilReady(up);
    const ask = (model: string, key: string, stream = false) =>
      fetch(`http://127.0.0.1:${ports.gateway}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hello' }] }),
      }).then(async (response) => ({ status: response.status, body: await response.text() }));

    expect((await ask('chat', masterKey)).status).toBe(200);
    expect((await ask('chat', masterKey, true)).status).toBe(200);
    expect((await ask('chat', wrongKey)).status).toBe(401);
    const refused = await ask('refused', masterKey);
    expect(refused.status).toBe(401);
    expect(refused.body).not.toContain(anthropicKey);

    up.child.kill('SIGINT');
    expect(await up.exited).toBe(0);
    const output = up.output();
    expect(output).toMatch(/"level":20/); // debug lines were written
    expect(output).toMatch(/provider call failed/);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/bearer\s+sk-/i);
  });
});
