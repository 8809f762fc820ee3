import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogRelay } from './log-relay';

function sink() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { out, text: () => text };
}

describe('createLogRelay', () => {
  it('passes pino JSON lines through, naming the service when the line does not', () => {
    const { out, text } = sink();
    const relay = createLogRelay({ pretty: false, out });
    relay.line('worker-openai', '{"level":30,"name":"worker-openai","msg":"pulling"}', 'stdout');
    relay.line('provider-sim', '{"level":40,"msg":"no name"}', 'stdout');
    const [first, second] = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(first).toEqual({ level: 30, name: 'worker-openai', msg: 'pulling' });
    expect(second).toEqual({ level: 40, name: 'provider-sim', msg: 'no name' });
  });

  it('wraps plain text into JSON lines: stdout as info, stderr as error; skips blank lines', () => {
    const { out, text } = sink();
    const relay = createLogRelay({ pretty: false, out });
    relay.line('gateway', 'gateway listening on http://127.0.0.1:4000', 'stdout');
    relay.line('gateway', 'TypeError: boom', 'stderr');
    relay.line('gateway', '   ', 'stderr');
    relay.line('gateway', '{"not closed', 'stderr');
    relay.line('gateway', '[1,2]', 'stdout');
    const lines = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line['level'], line['name'], line['msg']])).toEqual([
      [30, 'gateway', 'gateway listening on http://127.0.0.1:4000'],
      [50, 'gateway', 'TypeError: boom'],
      [50, 'gateway', '{"not closed'],
      [30, 'gateway', '[1,2]'],
    ]);
  });

  it('prints pretty lines with the service name when asked', () => {
    const { out, text } = sink();
    const relay = createLogRelay({ pretty: true, out });
    relay.line(
      'worker-anthropic',
      '{"level":30,"time":0,"name":"worker-anthropic","msg":"pulling"}',
      'stdout',
    );
    expect(text()).toContain('worker-anthropic');
    expect(text()).toContain('pulling');
    expect(text()).not.toContain('{"level"');
  });
});
