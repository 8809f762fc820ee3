import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import * as contracts from './index';

describe('public API', () => {
  it('re-exports the error types table', () => {
    expect(contracts.ErrorTypes.rate_limit).toEqual({
      retryable: true,
      coolsDown: true,
      fallsBack: true,
      status: 429,
    });
    expect(contracts.isRetryable('invalid_job')).toBe(false);
    expect(contracts.countsTowardsCooldown('context_window_exceeded')).toBe(false);
    expect(contracts.mayFallBack('context_window_exceeded')).toBe(true);
    expect(contracts.mayFallBack('budget_exceeded')).toBe(false);
    expect(contracts.errorTypeNames).toContain('deadline_exceeded');
  });

  it('exports the contract version, subjects, streams and header names', () => {
    expect(contracts.CONTRACT_VERSION).toBe(1);
    expect(contracts.subjects.jobs('default', 'm')).toBe('llm.jobs.default.m');
    expect(contracts.streamNames('T1').jobs).toBe('T1_LLM_JOBS');
    expect(contracts.HeaderNames).toEqual({
      msgId: 'Nats-Msg-Id',
      replyTo: 'Switchyard-Reply-To',
      traceparent: 'traceparent',
      tracestate: 'tracestate',
      contract: 'Switchyard-Contract',
      attempt: 'Switchyard-Attempt',
      errorType: 'Switchyard-Error-Type',
      stream: 'Switchyard-Stream',
    });
  });

  it('exports every wire schema and decoder', () => {
    for (const name of [
      'chatCompletionRequestSchema',
      'completionJobSchema',
      'completionResultSchema',
      'completionChunkSchema',
      'switchyardErrorSchema',
      'errorReplySchema',
      'replyMessageSchema',
      'usageEventSchema',
      'decodeJob',
      'decodeReply',
      'decodeUsageEvent',
      'encodeSubjectToken',
      'decodeSubjectToken',
      'makeError',
    ] as const) {
      expect(contracts[name], name).toBeDefined();
    }
  });
});

describe('JSON Schema export (for clients in other languages)', () => {
  it.each([
    ['job', contracts.completionJobSchema],
    ['reply', contracts.replyMessageSchema],
    ['usage event', contracts.usageEventSchema],
  ])('converts the %s schema, with its description', (_label, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input' });
    expect(json.description).toMatch(/Switchyard/);
    expect(JSON.stringify(json)).toContain('"v"');
  });
});
