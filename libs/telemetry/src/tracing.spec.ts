import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTracing, tracingRequested } from './tracing';

describe('tracingRequested', () => {
  it('follows the standard OTEL_* variables', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }),
    ).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(
      tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toBe(false);
    expect(
      tracingRequested({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toBe(false);
  });
});

describe('startTracing', () => {
  it('registers nothing when tracing is not asked for: spans stay no-ops', async () => {
    const tracing = await startTracing('spec', {});
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('spec').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
    await tracing.shutdown();
  });
});
