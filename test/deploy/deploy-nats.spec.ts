import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { serviceNatsOptions, topologyOf } from '@switchyard/config';
import { DEFAULT_SUBJECT_ROOT } from '@switchyard/contracts';
import { findFreePort, startNatsServer, type LocalServer } from '@switchyard/local-servers';
import { closeNats, connectNats, provisionTopology } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  composeEnvironment,
  composeServices,
  testSecrets,
  withoutVariable,
} from './compose-file.test-support';
import {
  loadDeployConfig,
  readRepoFile,
  repoRoot,
  roleOfEntry,
  shippedNatsUsers,
  splitCommand,
} from './deploy-repo.test-support';

const serverConfig = join(repoRoot, 'deploy/nats/nats-server.conf');
const quiet = createLogger({ name: 'deploy-nats', level: 'silent' });

/** The compose environment of `nats` (the users' password variables), with test values. */
const natsEnvironment = composeEnvironment(composeServices['nats'] ?? {});

describe('deploy/nats/auth.conf', () => {
  it('is what `switchyard nats auth-config` prints for the deployed configs, so it cannot drift', () => {
    const printed = spawnSync(process.execPath, ['bin/switchyard.mjs', 'nats', 'auth-config'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(printed.stderr).toBe('');
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(readRepoFile('deploy/nats/auth.conf'));
    const env = { ...testSecrets, OPENAI_API_BASE: 'http://x', ANTHROPIC_API_BASE: 'http://x' };
    for (const path of ['deploy/config/config.yaml', 'deploy/k8s/base/config.yaml']) {
      const { nats } = loadDeployConfig(path, { ...env, GEMINI_API_BASE: 'http://x' }).switchyard;
      expect([nats.subjectRoot, nats.streamPrefix], path).toEqual([DEFAULT_SUBJECT_ROOT, '']);
    }
  });
});

describe('deploy/nats/nats-server.conf on a real nats-server', () => {
  let dataDir: string;
  let nats: LocalServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-deploy-nats-'));
    for (const [name, value] of Object.entries(natsEnvironment)) vi.stubEnv(name, value);
    // The shipped file as compose runs it (with --store_dir), on free ports: flags win over it.
    nats = await startNatsServer({
      dataDir,
      extraArgs: ['-c', serverConfig, '-m', String(await findFreePort())],
    });
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start while a password variable is missing', () => {
    const others = withoutVariable(natsEnvironment, 'NATS_METERING_PASSWORD');
    const env = { ...others, PATH: process.env['PATH'] ?? '' };
    const check = spawnSync('nats-server', ['-c', serverConfig, '-t'], { env, encoding: 'utf8' });
    expect(check.status).not.toBe(0);
    expect(check.stdout + check.stderr).toContain(
      "variable reference for 'NATS_METERING_PASSWORD'",
    );
  });

  it('lets every compose service in as its role with the environment compose gives it, and no one else', async () => {
    const users = shippedNatsUsers();
    for (const [name, service] of Object.entries(composeServices)) {
      const role = roleOfEntry(splitCommand(service.command)[0]);
      if (role === undefined || !service.image?.includes('switchyard')) continue;
      const env = { ...composeEnvironment(service), NATS_URL: nats.url };
      const config = loadDeployConfig('deploy/config/config.yaml', env);
      const nc = await connectNats({
        ...serviceNatsOptions(config, role),
        name,
        logger: quiet,
        timeoutMs: 5_000,
      });
      expect(nc.info?.jetstream, name).toBe(true);
      if (role === 'worker') {
        // Workers provision the streams and consumers; their user may, on this server.
        await provisionTopology(nc, { ...topologyOf(config), logger: quiet });
      }
      await closeNats(nc);
    }
    const gateway = await connectNats({
      servers: nats.url,
      name: 'gateway-check',
      user: 'switchyard-gateway',
      pass: natsEnvironment[users.get('switchyard-gateway') ?? ''] ?? '',
      inboxPrefix: '_INBOX_gateway',
      logger: quiet,
    });
    const jsm = await jetstreamManager(gateway);
    expect((await jsm.streams.info('LLM_JOBS')).config.name).toBe('LLM_JOBS');
    await closeNats(gateway);

    const refused = async (login: { user?: string; pass?: string }) =>
      connectNats({
        servers: nats.url,
        name: 'refused',
        logger: quiet,
        timeoutMs: 5_000,
        ...login,
      });
    await expect(refused({})).rejects.toThrow(/Authorization Violation/i);
    await expect(
      refused({ user: 'switchyard-admin', pass: testSecrets['NATS_GATEWAY_PASSWORD'] ?? '' }),
    ).rejects.toThrow(/Authorization Violation/i);
  });
});
