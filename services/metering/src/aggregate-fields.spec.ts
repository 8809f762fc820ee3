import { usageEventSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { aggregateIncrements, usdToPicos } from './aggregate-fields';
import { dimensionValues } from './aggregate-keys';
import { usageEvent } from './metering.test-support';

describe('aggregateIncrements', () => {
  it('counts a priced success in integer pico-dollars', () => {
    const event = usageEventSchema.parse(usageEvent({ cached_tokens: 3 }));
    expect(aggregateIncrements(event)).toEqual([
      ['requests', 1],
      ['prompt_tokens', 13],
      ['completion_tokens', 16],
      ['cached_tokens', 3],
      ['cost_picos', 11_550_000],
    ]);
  });

  it('counts an error by type and an unknown price as unknown, never as 0 cost', () => {
    const event = usageEventSchema.parse(
      usageEvent({ status: 'error', error_type: 'overloaded', cost_usd: null }),
    );
    expect(aggregateIncrements(event)).toEqual(
      expect.arrayContaining([
        ['errors', 1],
        ['error:overloaded', 1],
        ['unknown_cost', 1],
      ]),
    );
    expect(aggregateIncrements(event).some(([field]) => field === 'cost_picos')).toBe(false);
  });

  it('converts the costs the pricing lib makes back to exact pico-dollars', () => {
    for (const picos of [1, 75_000, 11_550_000, 123_456_789_012, 999_999_999_999_999]) {
      expect(usdToPicos(picos / 1e12)).toBe(picos);
    }
  });
});

describe('dimensionValues', () => {
  it('counts an event under every dimension across tenants and in its own tenant', () => {
    const event = usageEventSchema.parse(usageEvent({ tenant: 'acme', tags: ['a', 'b', 'a'] }));
    expect(dimensionValues(event)).toEqual([
      ['*', 'tenant', 'acme'],
      ['*', 'model', 'm'],
      ['*', 'key', '(none)'],
      ['*', 'deployment', 'm/0'],
      ['*', 'provider', 'openai'],
      ['*', 'tag', 'a'],
      ['*', 'tag', 'b'],
      ['acme', 'model', 'm'],
      ['acme', 'key', '(none)'],
      ['acme', 'deployment', 'm/0'],
      ['acme', 'provider', 'openai'],
      ['acme', 'tag', 'a'],
      ['acme', 'tag', 'b'],
    ]);
  });
});
