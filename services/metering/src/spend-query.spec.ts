import { describe, expect, it } from 'vitest';
import { parseSpendQuery } from './spend-query';

describe('parseSpendQuery', () => {
  it('reads a valid query', () => {
    expect(parseSpendQuery('{"by":"provider","since":"24h","tenant":"acme"}')).toEqual({
      ok: true,
      query: { by: 'provider', since: '24h', tenant: 'acme' },
    });
  });

  it.each([
    ['malformed JSON', '{"by":', 'malformed_json'],
    ['an empty request', '', 'malformed_json'],
    ['a JSON string', '"model"', 'invalid_spend_query'],
    ['an unknown dimension', '{"by":"user","since":"7d"}', 'invalid_spend_query'],
    ['a missing since', '{"by":"model"}', 'invalid_spend_query'],
  ])('answers %s with a bad_request naming the problem', (_, text, code) => {
    const result = parseSpendQuery(text);
    expect(result).toMatchObject({ ok: false, error: { type: 'bad_request', status: 400, code } });
  });
});
