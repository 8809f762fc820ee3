import {
  formatIssues,
  makeError,
  spendQuerySchema,
  type SpendQuery,
  type SpendReply,
} from '@switchyard/contracts';

/**
 * Reads a spend query from the text of a request: malformed JSON, or JSON that is not a
 * valid query, is a `bad_request` reply naming what is wrong.
 */
export function parseSpendQuery(
  text: string,
): { ok: true; query: SpendQuery } | Extract<SpendReply, { ok: false }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      error: makeError(
        'bad_request',
        'malformed_json',
        `a spend query must be JSON such as {"by":"model","since":"7d"}; got ${JSON.stringify(text.slice(0, 80))}`,
      ),
    };
  }
  const parsed = spendQuerySchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: makeError(
        'bad_request',
        'invalid_spend_query',
        `invalid spend query: ${formatIssues(parsed.error.issues)}`,
      ),
    };
  }
  return { ok: true, query: parsed.data };
}
