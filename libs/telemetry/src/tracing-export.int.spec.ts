import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTracing } from './tracing';
import { tracer } from './tracing';

describe('startTracing with an OTLP endpoint', () => {
  it('exports finished spans over OTLP/HTTP to the endpoint the variables name', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (data: Buffer) => (body += data.toString('latin1')));
      request.on('end', () => {
        received.push({ path: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const tracing = await startTracing('spec-service', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    expect(tracing.enabled).toBe(true);
    tracer('spec').startSpan('exported-span').end();
    await tracing.shutdown();
    collector.close();
    expect(received.map((request) => request.path)).toContain('/v1/traces');
    expect(received.some((request) => request.body.includes('exported-span'))).toBe(true);
    expect(received.some((request) => request.body.includes('spec-service'))).toBe(true);
  });
});
