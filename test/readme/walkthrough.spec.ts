import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { walkthroughSteps } from './readme-steps.test-support';
import { isAlive, repoRoot, untilReady, UpStacks, type UpProcess } from './up-process.test-support';

const run = promisify(execFile);
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

interface Answer {
  model: string;
  choices: { message: { content: string | null } }[];
  switchyard: { provider: string; fallback_path: string[] };
}

const stacks = new UpStacks();
beforeAll(() => stacks.startServers());
afterAll(() => stacks.stopServers());
afterEach(() => stacks.cleanup());

async function bash(command: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', command], { timeout: 30_000 });
  return stdout;
}

function indexOfLine(up: UpProcess, message: string): number {
  return up
    .lines()
    .findIndex((line) => line.name === 'switchyard' && line.msg?.startsWith(message));
}

describe('the README walk-through (npm start = switchyard up)', () => {
  it('runs as written: both models answer, a 429 falls back, clearing it recovers; Ctrl-C stops every process in order', async () => {
    const { up, ports } = await stacks.up();
    await untilReady(up);
    const banner = String(up.lines().find((line) => line['event'] === 'ready')?.msg);
    expect(banner).toContain(`http://localhost:${ports.gateway}`);
    expect(banner).toContain(`http://localhost:${ports.simulator}/_sim/faults`);
    expect(banner).toContain('no master key: the gateway runs with --insecure');
    const insecure = `--insecure: no master key, so anyone who reaches 127.0.0.1:${ports.gateway} `;
    expect(
      up.lines().some((line) => line.name === 'gateway' && line.msg?.startsWith(insecure)),
    ).toBe(true);

    const steps = walkthroughSteps(readme, ports);
    expect(steps).toHaveLength(6);
    const answers: unknown[] = [];
    for (const step of steps) {
      const answer: unknown = JSON.parse(await bash(step.command));
      if (step.shown !== undefined) expect(answer, step.command).toMatchObject(step.shown);
      answers.push(answer);
    }
    const [first, second, fault, fallback, cleared, recovered] = answers as [
      Answer,
      Answer,
      unknown,
      Answer,
      unknown,
      Answer,
    ];
    expect(first.model).toBe('fast-triage-model');
    expect(first.switchyard).toMatchObject({
      provider: 'anthropic',
      fallback_path: ['fast-triage-model'],
    });
    expect(first.choices[0]?.message.content).toMatch(/^Simulated reply to: Triage this/);
    expect(second.model).toBe('creative-writer-model');
    expect(second.switchyard.provider).toBe('openai');
    expect(fault).toMatchObject({ faults: [{ provider: 'anthropic', fault: 'rate_limit' }] });
    expect(fallback.model).toBe('creative-writer-model');
    expect(fallback.switchyard).toMatchObject({
      provider: 'openai',
      fallback_path: ['fast-triage-model', 'creative-writer-model'],
    });
    expect(cleared).toEqual({ cleared: 1 });
    expect(recovered.model).toBe('fast-triage-model');
    expect(recovered.switchyard.provider).toBe('anthropic');

    const pids = up.servicePids();
    expect([...pids.keys()].sort()).toEqual(
      ['batch', 'fallback', 'gateway', 'provider-sim', 'worker-anthropic', 'worker-openai']
        .concat(pids.has('metering') ? ['metering'] : [])
        .sort(),
    );
    up.child.kill('SIGINT');
    expect(await up.exited, up.output()).toBe(0);
    for (const [name, pid] of pids) expect(isAlive(pid), `${name} (pid ${pid})`).toBe(false);
    const gatewayStopped = indexOfLine(up, 'stopped gateway');
    const batchStopped = indexOfLine(up, 'stopped batch');
    const workerStopped = indexOfLine(up, 'stopped worker-anthropic');
    const simulatorStopped = indexOfLine(up, 'stopped provider-sim');
    expect(gatewayStopped).toBeGreaterThan(0);
    expect(batchStopped).toBeGreaterThan(gatewayStopped);
    expect(workerStopped).toBeGreaterThan(batchStopped);
    expect(simulatorStopped).toBeGreaterThan(workerStopped);
  });
});
