import { jetstreamManager } from '@nats-io/jetstream';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  createSubjects,
  streamNames,
  tenantInboxPrefix,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { startGateway } from '@switchyard/gateway';
import { closeNats, connectNats, discoverServices } from '@switchyard/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietLogger, waitUntil } from '../pipeline/pipeline-harness.test-support';
import {
  gatewayMasterKey,
  startGatewayStack,
  type GatewayStack,
} from '../gateway/gateway-stack.test-support';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import { askWithPython, type AskedMessage } from './ask-python.test-support';

interface Completion {
  object: string;
  model: string;
  choices: { message: { role: string; content: string } }[];
  switchyard: { job_id: string };
}

interface Chunk {
  object: string;
  choices: { delta: { content?: string | null } }[];
  usage?: { total_tokens: number } | null;
  switchyard: { seq: number; final?: boolean; job_id: string };
}

interface EmbeddingsList {
  object: string;
  model: string;
  data: { object: string; index: number; embedding: number[] | string }[];
  usage: { prompt_tokens: number; total_tokens: number };
  switchyard: { job_id: string; cost_usd: number | null };
}

interface ErrorBody {
  error: {
    message: string;
    type: string;
    code: string;
    param: string | null;
    switchyard?: { type: string };
  };
}

describe('a plain NATS request from a Python standard-library client', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let stack: GatewayStack;
  let subjects: SwitchyardSubjects;
  let server: string;
  let n = 0;
  /** A prompt no other request sends, so the simulator's calls for it are this request's. */
  const uniquePrompt = () => `Where is train ${++n} of ${Date.now()} going?`;
  const bodyOf = (prompt: string, extra: object = {}) => ({
    messages: [{ role: 'user', content: prompt }],
    ...extra,
  });

  /** The last ended span named `name`, once there is one. */
  async function endedSpan(name: string): Promise<ReadableSpan> {
    const find = () => exporter.getFinishedSpans().findLast((s) => s.name === name);
    await waitUntil(() => find() !== undefined);
    const span = find();
    if (span === undefined) throw new Error(`no span ${name}`);
    return span;
  }

  beforeAll(async () => {
    tracing.register();
    // `idle` is served by a gemini pool this suite never starts: its jobs wait in the queue.
    stack = await startGatewayStack(
      'nats-requests',
      {
        models: {
          chat: 'openai',
          embed: [{ provider: 'openai', model: 'text-embedding-3-small' }],
          idle: 'gemini',
        },
      },
      ['openai'],
    );
    subjects = createSubjects(stack.install.prefix);
    server = stack.servers.nats.url;
  });
  afterAll(async () => {
    await stack?.stop();
    await tracing.shutdown();
  });

  it('gets the chat.completion, after the job went through JetStream and one provider call', async () => {
    const prompt = uniquePrompt();
    const asked = await askWithPython(server, subjects.chat('default', 'chat'), bodyOf(prompt));
    expect(asked.status).toBe(0);
    expect(asked.messages).toHaveLength(1);
    const [message] = asked.messages as [AskedMessage];
    expect(message.headers).toEqual({});
    const result = message.body as Completion;
    const calls = stack.servers.sim.calls({ key: prompt });
    expect(calls.map((call) => call.outcome)).toEqual(['completed']);
    expect(result.object).toBe('chat.completion');
    expect(result.model).toBe('chat');
    expect(result.choices[0]?.message).toEqual({ role: 'assistant', content: calls[0]?.text });
    // The job's final answer was recorded in the answers stream, like any job's.
    const jsm = await jetstreamManager(stack.pipeline.nc);
    const record = await jsm.streams.getMessage(streamNames(stack.install.prefix).answers, {
      last_by_subj: subjects.answers('default', result.switchyard.job_id),
    });
    expect(record?.json<{ reply: { object: string } }>().reply.object).toBe('chat.completion');
  });

  it('streams one message per chunk, then the empty Switchyard-Stream: end message', async () => {
    const prompt = uniquePrompt();
    const asked = await askWithPython(
      server,
      subjects.chat('default', 'chat'),
      bodyOf(prompt, { stream: true }),
    );
    expect(asked.status).toBe(0);
    const end = asked.messages.at(-1);
    expect(end).toEqual({ headers: { 'Switchyard-Stream': 'end' }, body: null });
    const chunks = asked.messages.slice(0, -1).map((message) => message.body as Chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((chunk) => chunk.object)).toEqual(chunks.map(() => 'chat.completion.chunk'));
    expect(chunks.map((chunk) => chunk.switchyard.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((chunk) => chunk.switchyard.final === true)).toEqual(
      chunks.map((_, i) => i === chunks.length - 1),
    );
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
    const calls = stack.servers.sim.calls({ key: prompt });
    expect(calls.map((call) => [call.stream, call.outcome])).toEqual([[true, 'completed']]);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(calls[0]?.text);
  });

  it('gets a 404 error with the Nats-Service-Error headers for an unknown model', async () => {
    const prompt = uniquePrompt();
    const asked = await askWithPython(
      server,
      subjects.chat('default', 'no-such-model'),
      bodyOf(prompt),
    );
    expect(asked.status).toBe(1);
    const [message] = asked.messages as [AskedMessage];
    const body = message.body as ErrorBody;
    expect(body.error).toMatchObject({
      type: 'not_found_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(message.headers).toEqual({
      'Nats-Service-Error-Code': '404',
      'Nats-Service-Error': body.error.message,
    });
    expect(body.error.message).toContain('"no-such-model"');
    expect(stack.servers.sim.calls({ key: prompt })).toEqual([]);
    // A 4xx is the caller's error: the server span records it without failing.
    const span = await endedSpan('nats chat no-such-model');
    expect(span.attributes['http.response.status_code']).toBe(404);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('gets OpenAI’s list of embeddings: one job through JetStream, one provider call, one usage event', async () => {
    const text = uniquePrompt();
    const asked = await askWithPython(server, subjects.embeddings('default', 'embed'), {
      input: text,
      dimensions: 16,
    });
    expect(asked.status).toBe(0);
    expect(asked.messages).toHaveLength(1);
    const [message] = asked.messages as [AskedMessage];
    expect(message.headers).toEqual({});
    const list = message.body as EmbeddingsList;
    expect(list.object).toBe('list');
    expect(list.model).toBe('embed');
    expect(list.data).toHaveLength(1);
    const vector = list.data[0]?.embedding as number[];
    expect(vector).toHaveLength(16);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    const calls = stack.servers.sim.calls({ key: text });
    expect(calls.map((call) => call.outcome)).toEqual(['completed']);
    expect(list.usage.prompt_tokens).toBe(calls[0]?.promptTokens);
    const { events } = await readUsageEvents(stack.pipeline.nc, stack.install.prefix);
    const billed = events.filter((event) => event.job_id === list.switchyard.job_id);
    expect(billed).toHaveLength(1);
    expect(billed[0]).toMatchObject({
      tenant: 'default',
      model: 'embed',
      prompt_tokens: list.usage.prompt_tokens,
      completion_tokens: 0,
    });
    // text-embedding-3-small: $0.02 per 1M tokens.
    expect(billed[0]?.cost_usd).toBeCloseTo((list.usage.prompt_tokens * 0.02) / 1e6, 12);
    expect(list.switchyard.cost_usd).toBe(billed[0]?.cost_usd);
    const jsm = await jetstreamManager(stack.pipeline.nc);
    const record = await jsm.streams.getMessage(streamNames(stack.install.prefix).answers, {
      last_by_subj: subjects.answers('default', list.switchyard.job_id),
    });
    expect(record?.json<{ reply: { object: string } }>().reply.object).toBe('list');
    const span = await endedSpan('nats embeddings embed');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes['http.response.status_code']).toBe(200);
  });

  it('gets base64 embeddings, and errors with the Nats-Service-Error headers, on the embeddings subject', async () => {
    const text = uniquePrompt();
    const asked = await askWithPython(server, subjects.embeddings('default', 'embed'), {
      model: 'embed',
      input: [text, text],
      encoding_format: 'base64',
    });
    expect(asked.status).toBe(0);
    const list = (asked.messages[0] as AskedMessage).body as EmbeddingsList;
    expect(list.data.map((item) => [item.index, typeof item.embedding])).toEqual([
      [0, 'string'],
      [1, 'string'],
    ]);
    // 1,536 little-endian float32s.
    expect(Buffer.from(list.data[0]?.embedding as string, 'base64')).toHaveLength(1536 * 4);
    expect(stack.servers.sim.calls({ key: `${text}\n${text}` })).toHaveLength(1);

    for (const [body, status, code] of [
      [{ input: [] }, 400, 'invalid_field'],
      [{ model: 'chat', input: 'x' }, 400, 'model_mismatch'],
    ] as const) {
      const refused = await askWithPython(server, subjects.embeddings('default', 'embed'), body);
      expect(refused.status).toBe(1);
      const [message] = refused.messages as [AskedMessage];
      const error = (message.body as ErrorBody).error;
      expect(error.code).toBe(code);
      expect(message.headers).toEqual({
        'Nats-Service-Error-Code': String(status),
        'Nats-Service-Error': error.message,
      });
    }
    const unknown = await askWithPython(
      server,
      subjects.embeddings('default', 'no-such-embedder'),
      { input: 'x' },
    );
    expect(unknown.status).toBe(1);
    expect((unknown.messages[0]?.body as ErrorBody).error.code).toBe('model_not_found');
    expect(unknown.messages[0]?.headers['Nats-Service-Error-Code']).toBe('404');
  });

  it('gets a 504 timeout error it can read when the deadline passes before an answer', async () => {
    const prompt = uniquePrompt();
    const asked = await askWithPython(server, subjects.chat('default', 'idle'), bodyOf(prompt), {
      headers: { 'x-switchyard-deadline-ms': '700' },
    });
    expect(asked.status).toBe(1);
    const [message] = asked.messages as [AskedMessage];
    const body = message.body as ErrorBody;
    expect(body.error).toMatchObject({
      type: 'timeout_error',
      code: 'client_timeout',
      switchyard: { type: 'timeout' },
    });
    expect(message.headers).toEqual({
      'Nats-Service-Error-Code': '504',
      'Nats-Service-Error': body.error.message,
    });
    expect(asked.elapsedMs).toBeGreaterThanOrEqual(700);
    expect(stack.servers.sim.calls({ key: prompt })).toEqual([]);
    const span = await endedSpan('nats chat idle');
    expect(span.attributes['http.response.status_code']).toBe(504);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it.each([
    ['malformed JSON', 400, 'invalid_json', '{"messages": ['],
    ['a body that is not an object', 400, 'invalid_body', '[1, 2]'],
    ['an invalid body', 400, 'invalid_field', '{"messages": "hello"}'],
    [
      'a body naming another model',
      400,
      'model_mismatch',
      '{"model": "idle", "messages": [{"role": "user", "content": "hi"}]}',
    ],
    [
      'a bad deadline header',
      400,
      'invalid_header',
      '{"messages": [{"role": "user", "content": "hi"}]}',
    ],
  ])('gets an error for %s: status %i, code %s', async (_what, status, code, body) => {
    const headers: Record<string, string> =
      code === 'invalid_header' ? { 'x-switchyard-deadline-ms': 'soon' } : {};
    const asked = await askWithPython(server, subjects.chat('default', 'chat'), body, { headers });
    expect(asked.status).toBe(1);
    expect(asked.messages).toHaveLength(1);
    const [message] = asked.messages as [AskedMessage];
    const error = (message.body as ErrorBody).error;
    expect(error.code).toBe(code);
    expect(error.type).toBe('invalid_request_error');
    expect(message.headers).toEqual({
      'Nats-Service-Error-Code': String(status),
      'Nats-Service-Error': error.message,
    });
  });

  it('continues the trace of the traceparent header in the gateway and the job', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const asked = await askWithPython(
      server,
      subjects.chat('default', 'chat'),
      bodyOf(uniquePrompt()),
      {
        headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
      },
    );
    expect(asked.status).toBe(0);
    await waitUntil(() =>
      exporter
        .getFinishedSpans()
        .some((s) => s.spanContext().traceId === traceId && s.name === 'send chat'),
    );
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const server_ = spans.find((s) => s.name === 'nats chat chat');
    expect(server_?.kind).toBe(SpanKind.SERVER);
    expect(server_?.parentSpanContext?.spanId).toBe(callerSpan);
    const send = spans.find((s) => s.name === 'send chat');
    expect(send?.parentSpanContext?.spanId).toBe(server_?.spanContext().spanId);
  });

  it('continues the trace of a traceparent header on the HTTP gateway too', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const res = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${gatewayMasterKey}`,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify({ model: 'chat', ...bodyOf(uniquePrompt()) }),
    });
    expect(res.status).toBe(200);
    await waitUntil(() =>
      exporter
        .getFinishedSpans()
        .some((s) => s.spanContext().traceId === traceId && s.name === 'send chat'),
    );
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const request = spans.find((s) => s.name === 'POST /v1/chat/completions');
    expect(request?.kind).toBe(SpanKind.SERVER);
    expect(request?.parentSpanContext?.spanId).toBe(callerSpan);
    expect(request?.attributes['http.response.status_code']).toBe(200);
    const send = spans.find((s) => s.name === 'send chat');
    expect(send?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
  });

  it('shares the requests between gateway replicas: each answered once, by one provider call', async () => {
    const secondNc = await connectNats({ servers: server, name: 'gateway-2', logger: quietLogger });
    const second = await startGateway({
      config: stack.install.config,
      nc: secondNc,
      redis: stack.pipeline.redis,
      keys: stack.keys,
      port: 0,
      logger: quietLogger,
    });
    const asker = await connectNats({
      servers: server,
      name: 'asker',
      inboxPrefix: tenantInboxPrefix('default'),
      logger: quietLogger,
    });
    const answeredBy = async () =>
      (await discoverServices(asker, { name: 'switchyard', timeoutMs: 500 })).map(
        (replica) =>
          (replica.stats?.endpoints?.find((e) => e.name === 'chat')?.data as { answered: number })
            .answered,
      );
    try {
      const before = await answeredBy();
      expect(before).toHaveLength(2);
      const prompts = Array.from({ length: 20 }, () => uniquePrompt());
      const answers = await Promise.all(
        prompts.map((prompt) =>
          asker.request(subjects.chat('default', 'chat'), JSON.stringify(bodyOf(prompt)), {
            timeout: 20_000,
          }),
        ),
      );
      answers.forEach((answer, i) => {
        const calls = stack.servers.sim.calls({ key: prompts[i] ?? '' });
        expect(calls.map((call) => call.outcome)).toEqual(['completed']);
        expect(answer.json<Completion>().choices[0]?.message.content).toBe(calls[0]?.text);
      });
      const after = await answeredBy();
      const served = after.map((count, i) => count - (before[i] ?? 0));
      expect(served.reduce((a, b) => a + b, 0)).toBe(20);
      expect(served.every((count) => count > 0)).toBe(true);
    } finally {
      await second.close(1_000);
      await closeNats(asker);
      await closeNats(secondNc);
    }
  });
});
