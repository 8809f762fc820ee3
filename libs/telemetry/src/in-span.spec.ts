import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, describe, expect, it } from 'vitest';
import { inSpan } from './in-span';

describe('inSpan', () => {
  // Registered for its context manager; its sampler records nothing.
  const unsampled = new NodeTracerProvider({ sampler: new AlwaysOffSampler() });
  unsampled.register();
  const exporter = new InMemorySpanExporter();
  const recording = new NodeTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  afterAll(() => Promise.all([unsampled.shutdown(), recording.shutdown()]));

  it('runs `run` with its unrecorded span active, so the trace context still propagates', async () => {
    const seen = await inSpan(unsampled.getTracer('spec'), 'job', {}, undefined, (span) => {
      expect(span.isRecording()).toBe(false);
      return Promise.resolve(trace.getActiveSpan() === span);
    });
    expect(seen).toBe(true);
  });

  it('rejects, never throws, when `run` throws before its first await in an unrecorded span', async () => {
    const failure = new Error('thrown at once');
    const outcome = inSpan(unsampled.getTracer('spec'), 'job', {}, undefined, () => {
      throw failure;
    });
    await expect(outcome).rejects.toBe(failure);
  });

  it('ends a recorded span, marked failed with the error that `run` rejected with', async () => {
    const failure = new Error('the provider hung up');
    await expect(
      inSpan(recording.getTracer('spec'), 'call', {}, undefined, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('call');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the provider hung up' });
  });
});
