import { describe, expect, it } from 'vitest';
import { answerRecordEnvelopeSchema, answerRecordSchema } from './answer-record.schema';
import { makeError, makeErrorReply } from './make-error';
import { CONTRACT_VERSION } from './version';

const answered = {
  v: CONTRACT_VERSION,
  job_id: 'job-1',
  tenant: 'acme',
  hop: 0,
  outcome: 'answered' as const,
  reply: makeErrorReply(makeError('not_found', 'model_not_found', 'no such model'), 'job-1'),
  usage: [],
  at: 1_700_000_000_000,
};

describe('answer records', () => {
  it('read: the whole record, the reply it carries included', () => {
    expect(answerRecordSchema.safeParse(answered).success).toBe(true);
    const badReply = { ...answered, reply: { object: 'chat.completion' } };
    expect(answerRecordSchema.safeParse(badReply).success).toBe(false);
  });

  it('write: the record’s own fields, taking what it carries as checked where it was made', () => {
    const badReply = { ...answered, reply: { object: 'chat.completion' } };
    expect(answerRecordEnvelopeSchema.safeParse(badReply).success).toBe(true);
    const parsed = answerRecordEnvelopeSchema.parse(answered);
    expect(parsed.reply).toBe(answered.reply);
  });

  it.each([
    ['a job id with a space', { job_id: 'job 1' }],
    ['another contract version', { v: CONTRACT_VERSION + 1 }],
    ['a negative hop', { hop: -1 }],
    ['an answered record without a reply', { reply: undefined }],
    ['an answered record with a dead letter', { dead_letter: { error_type: 'server' } }],
    ['a dead-lettered record without its dead letter', { outcome: 'dead_lettered' }],
    ['usage that is not a list', { usage: {} }],
  ])('write refuses %s', (_, change) => {
    expect(answerRecordEnvelopeSchema.safeParse({ ...answered, ...change }).success).toBe(false);
  });
});
