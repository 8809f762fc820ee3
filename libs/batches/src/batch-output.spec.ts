import { makeError, makeErrorReply, type ReplyMessage } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { outputLineFor, submitErrorLine } from './batch-output';

describe('batch output lines', () => {
  it('writes a completion as a 200 response with the completion as body', () => {
    const completion = {
      object: 'chat.completion',
      id: 'chatcmpl-1',
      choices: [],
      switchyard: { job_id: 'job-1' },
    } as unknown as ReplyMessage;
    const line = outputLineFor('c1', 'job-1', completion);
    expect(line?.id).toMatch(/^batch_req_[0-9a-f]{24}$/);
    expect(line).toEqual({
      id: line?.id,
      custom_id: 'c1',
      response: { status_code: 200, request_id: 'job-1', body: completion },
      error: null,
    });
    expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  it('writes an error reply as response null and error { code, message }', () => {
    const reply = makeErrorReply(
      makeError('rate_limit', 'rate_limit_exceeded', 'slow down'),
      'job-2',
    );
    expect(outputLineFor('c2', 'job-2', reply)).toMatchObject({
      custom_id: 'c2',
      response: null,
      error: { code: 'rate_limit_exceeded', message: 'slow down' },
    });
  });

  it('writes nothing for a chunk', () => {
    const chunk = {
      object: 'chat.completion.chunk',
      switchyard: { final: false },
    } as unknown as ReplyMessage;
    expect(outputLineFor('c3', 'job-3', chunk)).toBeUndefined();
  });

  it('writes a submit failure in the error shape', () => {
    expect(submitErrorLine('c4', 'job-4', 'unknown_model', 'no such model')).toMatchObject({
      custom_id: 'c4',
      response: null,
      error: { code: 'unknown_model', message: 'no such model' },
    });
  });
});
