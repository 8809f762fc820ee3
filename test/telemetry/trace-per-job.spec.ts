import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  questionMessages,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';

describe('one trace per job, from the producer through retries and a fallback to the provider', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    provider.register();
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-trace', {
      models: {
        limited: 'openai',
        backup: 'anthropic',
        embed: [{ provider: 'openai', model: 'text-embedding-3-small' }],
      },
      router:
        '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1, fallbacks: [{ limited: [backup] }] }',
    });
    pipeline = await startPipeline(servers, install, ['openai', 'anthropic']);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
    await provider.shutdown();
  });

  it('links send, every process, and every provider call of the job into one trace', async () => {
    servers.sim.addFaults([
      { deployment: install.simName('limited'), fault: 'rate_limit; retry_after=1', count: 2 },
    ]);
    const jobId = `traced-${Date.now()}`;
    const result = await pipeline.client.chat.completions.create({
      model: 'limited',
      messages: questionMessages,
      switchyard: { job_id: jobId },
    });
    expect(result.model).toBe('backup');
    // The answer is sent before the worker acks the job and ends its span.
    const deadline = Date.now() + 5_000;
    while (!exporter.getFinishedSpans().some((span) => span.name === 'process backup')) {
      if (Date.now() > deadline) throw new Error('the process span of the fallback never ended');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const spans = exporter.getFinishedSpans();
    const send = spans.find((span) => span.name === 'send limited');
    expect(send).toBeDefined();
    const trace = spans.filter(
      (span) => span.spanContext().traceId === send?.spanContext().traceId,
    );
    const named = (name: string) => trace.filter((span) => span.name === name);
    const attrs = (span: ReadableSpan | undefined) => span?.attributes ?? {};

    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(attrs(send)).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
      'messaging.message.id': jobId,
    });
    const limited = named('process limited');
    expect(limited.map((span) => attrs(span)['switchyard.attempt'])).toEqual([1, 2]);
    for (const span of limited) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    }
    const [backup] = named('process backup');
    expect(attrs(backup)).toMatchObject({
      'switchyard.fallback_depth': 1,
      'switchyard.job.id': jobId,
    });

    const calls = trace.filter((span) => span.kind === SpanKind.CLIENT);
    expect(calls.map((span) => attrs(span)['gen_ai.system'])).toEqual([
      'openai',
      'openai',
      'anthropic',
    ]);
    expect(calls.slice(0, 2).map((span) => attrs(span)['error.type'])).toEqual([
      'rate_limit',
      'rate_limit',
    ]);
    expect(attrs(calls[2])).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-3-5-haiku-20241022',
      'gen_ai.usage.input_tokens': result.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': result.usage.completion_tokens,
    });
    expect(calls[2]?.parentSpanContext?.spanId).toBe(backup?.spanContext().spanId);
  });

  it('gives every embeddings call its own `embeddings <provider model>` client span', async () => {
    servers.sim.addFaults([
      { deployment: install.simName('embed'), fault: 'rate_limit; retry_after=1', count: 1 },
    ]);
    const jobId = `traced-embed-${Date.now()}`;
    const result = await pipeline.client.embeddings.create({
      model: 'embed',
      input: ['red train', 'green train'],
      dimensions: 8,
      switchyard: { job_id: jobId },
    });
    expect(result.data).toHaveLength(2);
    const deadline = Date.now() + 5_000;
    const ended = () =>
      exporter
        .getFinishedSpans()
        .filter(
          (span) => span.name === 'process embed' && span.attributes['switchyard.job.id'] === jobId,
        );
    while (ended().length < 2) {
      if (Date.now() > deadline)
        throw new Error('the process spans of the embeddings job never ended');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const processes = ended();
    const traceId = processes[0]?.spanContext().traceId;
    const calls = exporter
      .getFinishedSpans()
      .filter((span) => span.spanContext().traceId === traceId && span.kind === SpanKind.CLIENT);
    expect(calls.map((span) => span.name)).toEqual([
      'embeddings text-embedding-3-small',
      'embeddings text-embedding-3-small',
    ]);
    const common = {
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.embeddings.dimension.count': 8,
    };
    expect(calls[0]?.attributes).toMatchObject({ ...common, 'error.type': 'rate_limit' });
    expect(calls[1]?.attributes).toMatchObject({
      ...common,
      'gen_ai.usage.input_tokens': result.usage.prompt_tokens,
    });
    expect(calls[1]?.attributes['error.type']).toBeUndefined();
    expect(calls.map((span) => span.parentSpanContext?.spanId)).toEqual(
      processes.map((span) => span.spanContext().spanId),
    );
    expect(servers.sim.stats().deployments[install.simName('embed')]?.requests).toBe(2);
  });
});
