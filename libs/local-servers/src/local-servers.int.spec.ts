import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findFreePort,
  isBinaryOnPath,
  isNatsReachable,
  isPortOpen,
  isRedisReachable,
  startNatsServer,
  startRedisServer,
} from './index';

const haveNats = await isBinaryOnPath('nats-server');
const haveRedis = await isBinaryOnPath('redis-server');

let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(join(tmpdir(), 'switchyard-local-servers-'));
});
afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

/** Holds a port with a plain TCP listener, as another program would. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const port = await findFreePort();
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

describe.skipIf(!haveNats)('startNatsServer', () => {
  it('starts with JetStream, answers, and is gone after stop()', async () => {
    const server = await startNatsServer({ dataDir: join(dataRoot, 'nats-ok') });
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(await isNatsReachable(server.url)).toBe(true);
    expect(await isRedisReachable(`redis://127.0.0.1:${server.port}`, 300)).toBe(false);
    await server.stop();
    await server.stop();
    expect(await isPortOpen('127.0.0.1', server.port, 300)).toBe(false);
    expect(() => process.kill(server.pid, 0)).toThrow();
  });

  it('rejects at once, naming the port, when the port is already in use', async () => {
    const { port, server } = await occupyPort();
    try {
      const started = Date.now();
      await expect(startNatsServer({ port, dataDir: join(dataRoot, 'nats-busy') })).rejects.toThrow(
        `nats-server cannot start on 127.0.0.1:${port}: the port is already in use`,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.close();
    }
  });

  it('rejects with the server output when it exits before it is ready', async () => {
    await expect(
      startNatsServer({ dataDir: join(dataRoot, 'nats-bad'), extraArgs: ['--no-such-flag'] }),
    ).rejects.toThrow(/nats-server exited with code \d+ before it was ready .*no-such-flag/s);
  });

  it('rejects with an install hint when the binary is missing', async () => {
    await expect(
      startNatsServer({ dataDir: join(dataRoot, 'nats-missing'), binary: 'no-such-nats-server' }),
    ).rejects.toThrow(/could not be started .*ENOENT.*on PATH/);
  });

  it('kill() ends the server at once', async () => {
    const server = await startNatsServer({ dataDir: join(dataRoot, 'nats-kill') });
    await server.kill();
    expect(await isPortOpen('127.0.0.1', server.port, 300)).toBe(false);
    await server.stop();
  });
});

describe.skipIf(!haveRedis)('startRedisServer', () => {
  it('starts without persistence, answers PING, and is gone after stop()', async () => {
    const server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await isRedisReachable(server.url)).toBe(true);
    expect(await isNatsReachable(`nats://127.0.0.1:${server.port}`, 300)).toBe(false);
    await server.stop();
    expect(await isPortOpen('127.0.0.1', server.port, 300)).toBe(false);
  });

  it('rejects when the port is already in use', async () => {
    const { port, server } = await occupyPort();
    try {
      await expect(startRedisServer({ port })).rejects.toThrow(/already in use/);
    } finally {
      server.close();
    }
  });
});

describe('isBinaryOnPath', () => {
  it('is false for a name that is nowhere', async () => {
    expect(await isBinaryOnPath('no-such-binary-switchyard')).toBe(false);
  });
});
