import { Writable } from 'node:stream';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, describe, expect, it } from 'vitest';
import { inSpan } from './in-span';
import { createLogger } from './logger';
import { tracer } from './tracing';

describe('log lines inside a recording span', () => {
  const provider = new NodeTracerProvider();
  provider.register();
  afterAll(() => provider.shutdown());

  it('carry the trace and span ids; lines outside a span do not', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = createLogger({ name: 'worker', destination });
    const ids = await inSpan(tracer('spec'), 'job', {}, undefined, (span) => {
      log.info('inside');
      return Promise.resolve(span.spanContext());
    });
    log.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});
