import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceNodeFlags } from '@switchyard/entrypoint';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnService } from './service-process';

describe('spawnService', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the service with the node flags of every service and its own arguments', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-service-process-'));
    const script = join(dir, 'main.mjs');
    writeFileSync(
      script,
      'process.stdout.write(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2) }) + "\\n");\n',
    );
    const lines: string[] = [];
    const service = spawnService(
      {
        name: 'probe',
        role: 'worker',
        script,
        args: ['--provider', 'openai'],
        stopTimeoutMs: 5_000,
      },
      { cwd: dir, env: process.env, relay: { line: (_service, text) => lines.push(text) } },
    );
    expect(await service.exited).toEqual({ code: 0, signal: null });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    const seen = JSON.parse(lines[0] ?? '{}') as { execArgv: string[]; argv: string[] };
    expect(seen.execArgv.slice(0, serviceNodeFlags.length)).toEqual(serviceNodeFlags);
    expect(seen.argv).toEqual(['--provider', 'openai']);
  });
});
