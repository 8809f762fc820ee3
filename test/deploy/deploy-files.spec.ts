import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serviceNodeFlags } from '@switchyard/entrypoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entrypointArms,
  filesUnder,
  isAllowedImage,
  productionSources,
  readRepoFile,
  repoPathExists,
  repoRoot,
  servicesWithMain,
  yamlDocuments,
} from './deploy-repo.test-support';

const entrypoint = join(repoRoot, 'deploy/entrypoint.sh');
const run = (args: string[]) => spawnSync('sh', args, { cwd: repoRoot, encoding: 'utf8' });

/** Runs node with `args` without blocking this process (which serves the HTTP the child asks). */
async function runNode(args: string[]) {
  const child = spawn(process.execPath, args, { cwd: repoRoot });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stderr };
}

describe('deploy/ files', () => {
  it('every YAML and JSON file parses', () => {
    const files = filesUnder('deploy');
    const yamlFiles = files.filter((path) => /\.ya?ml$/.test(path));
    const jsonFiles = files.filter((path) => path.endsWith('.json'));
    expect(yamlFiles.length).toBeGreaterThan(10);
    expect(jsonFiles.length).toBeGreaterThan(0);
    for (const path of yamlFiles) {
      const docs = yamlDocuments(path);
      expect(docs.length, path).toBeGreaterThan(0);
      for (const doc of docs) expect(doc !== null && typeof doc === 'object', path).toBe(true);
    }
    for (const path of jsonFiles)
      expect(() => JSON.parse(readRepoFile(path)) as unknown).not.toThrow();
  });
});

describe('deploy/entrypoint.sh', () => {
  it('starts exactly the services that have a services/*/src/main.ts', () => {
    const arms = entrypointArms();
    expect([...arms.keys()].sort()).toEqual(servicesWithMain());
    for (const [service, line] of arms) {
      if (service === 'cli') {
        expect(line).toContain('"$root/bin/switchyard.mjs"');
        expect(readRepoFile('bin/switchyard.mjs')).toContain('dist/services/cli/main.mjs');
      } else {
        expect(line).toBe(`node $node_flags "$root/dist/services/${service}/main.mjs" "$@"`);
      }
    }
  });

  it('runs every service with the node flags `switchyard up` gives it (serviceNodeFlags)', () => {
    const script = readRepoFile('deploy/entrypoint.sh');
    const flags = /^node_flags="([^"]*)"$/m.exec(script)?.[1];
    expect(flags?.split(' ')).toEqual(serviceNodeFlags);
  });

  it('refuses an unknown service or none with exit code 2 and the usage', () => {
    for (const args of [[entrypoint, 'bogus'], [entrypoint]]) {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('usage: entrypoint.sh <gateway|');
    }
  });

  it('runs a compiled service with its flags', () => {
    const result = run([entrypoint, 'provider-sim', '--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('provider-sim: a simulator');
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readRepoFile('deploy/Dockerfile');
  const ignored = readRepoFile('.dockerignore')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

  it('builds on a pinned official node image, compiles the services and runs them as a non-root user under tini', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(isAllowedImage(base)).toBe(true);
    expect(isAllowedImage('node:latest')).toBe(false);
    expect(isAllowedImage('someone/switchyard-clone:1.0')).toBe(false);
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(
      Array(4).fill('${NODE_IMAGE}'),
    );
    expect(dockerfile).toContain('RUN node tools/build.mjs');
    expect(dockerfile).toContain('COPY --from=build /src/dist ./dist');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(/^USER (\S+)$/m.exec(dockerfile)?.[1]).not.toMatch(/^(root|0)$/);
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/entrypoint.sh"]');
    expect(dockerfile).toContain('CMD ["node", "/app/deploy/healthcheck.mjs"]');
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(
      ([, paths = '']) => paths.split(' ').filter((word) => !word.startsWith('--')),
    );
    expect(sources).toContain('package-lock.json');
    for (const source of sources) {
      expect(repoPathExists(source), source).toBe(true);
      expect(ignored, source).not.toContain(source);
      expect(
        ignored.some((pattern) => source.startsWith(`${pattern}/`)),
        source,
      ).toBe(false);
    }
  });

  it('installs everything the services import at run time (npm ci --omit=dev)', () => {
    const manifest = JSON.parse(readRepoFile('package.json')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const path of productionSources()) {
      const source = readRepoFile(path);
      const specifiers = source.matchAll(
        /(?:^import\s+|\sfrom\s+|\bimport\(\s*)'([^'.\s][^'\s]*)'(?:\s*\))?;?\s*$/gm,
      );
      for (const [, specifier = ''] of specifiers) {
        if (specifier.startsWith('node:') || specifier.startsWith('@switchyard/')) continue;
        const parts = specifier.split('/');
        imported.add(parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
      }
    }
    expect([...imported]).toEqual(expect.arrayContaining(['ioredis', '@nestjs/core', 'zod']));
    const missing = [...imported].filter((name) => !(name in manifest.dependencies));
    expect(missing).toEqual([]);
  });
});

describe('deploy/healthcheck.mjs', () => {
  let server: Server;
  let port: number;
  let ready = true;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const ok = request.url === '/health/readiness' && ready;
      response.writeHead(ok ? 200 : 503).end(ok ? 'ready' : 'not_ready');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const check = (...args: string[]) => runNode(['deploy/healthcheck.mjs', ...args]);

  it('asks a gateway for /health/readiness on the port it was started with', async () => {
    ready = true;
    expect((await check('gateway', '--host', '0.0.0.0', '--port', String(port))).status).toBe(0);
    expect((await check('gateway', `--port=${port}`)).status).toBe(0);
    ready = false;
    const notReady = await check('gateway', '-p', String(port));
    expect(notReady.status).toBe(1);
    expect(notReady.stderr).toContain('503 not_ready');
  });

  it('fails when nothing listens, and passes for processes without an HTTP endpoint', async () => {
    server.close();
    const down = await check('gateway', '--port', String(port));
    expect(down.status).toBe(1);
    expect(down.stderr).toContain(`http://127.0.0.1:${port}/health/readiness`);
    expect((await check('worker', '--provider', 'openai')).status).toBe(0);
  });
});
