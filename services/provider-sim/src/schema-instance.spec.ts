import { describe, expect, it } from 'vitest';
import { minimalInstance } from './schema-instance';

describe('minimalInstance', () => {
  it('fills required properties only', () => {
    expect(
      minimalInstance({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'boolean' } },
        required: ['a', 'b'],
      }),
    ).toEqual({ a: 'text', b: 0 });
  });

  it('honours bounds, formats, lengths and multiples', () => {
    expect(minimalInstance({ type: 'integer', minimum: 3 })).toBe(3);
    expect(minimalInstance({ type: 'integer', exclusiveMinimum: 3 })).toBe(4);
    expect(minimalInstance({ type: 'number', exclusiveMinimum: 0.5 })).toBe(1.5);
    expect(minimalInstance({ type: 'integer', minimum: 5, multipleOf: 4 })).toBe(8);
    expect(minimalInstance({ type: 'number', maximum: -2 })).toBe(-2);
    expect(minimalInstance({ type: 'string', minLength: 7 })).toBe('textxxx');
    expect(minimalInstance({ type: 'string', maxLength: 2 })).toBe('te');
    expect(minimalInstance({ type: 'string', format: 'date-time' })).toBe('1970-01-01T00:00:00Z');
    expect(minimalInstance({ type: 'string', format: 'email' })).toBe('user@example.com');
  });

  it('takes const, the first enum value, and the first non-null branch', () => {
    expect(minimalInstance({ const: 'fixed' })).toBe('fixed');
    expect(minimalInstance({ type: 'string', enum: ['red', 'blue'] })).toBe('red');
    expect(minimalInstance({ anyOf: [{ type: 'null' }, { type: 'number', minimum: 2 }] })).toBe(2);
    expect(minimalInstance({ type: ['null', 'string'] })).toBe('text');
  });

  it('builds arrays of minItems items, prefixItems first', () => {
    expect(minimalInstance({ type: 'array', items: { type: 'integer' }, minItems: 2 })).toEqual([
      0, 0,
    ]);
    expect(
      minimalInstance({
        type: 'array',
        prefixItems: [{ const: 'x' }],
        items: { type: 'boolean' },
        minItems: 2,
      }),
    ).toEqual(['x', false]);
    expect(minimalInstance({ type: 'array' })).toEqual([]);
  });

  it('resolves local $refs and merges allOf', () => {
    expect(
      minimalInstance({
        $defs: {
          point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
        },
        type: 'object',
        properties: { at: { $ref: '#/$defs/point' } },
        required: ['at'],
      }),
    ).toEqual({ at: { x: 0 } });
    expect(
      minimalInstance({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'boolean' } }, required: ['b'] },
        ],
      }),
    ).toEqual({ a: 'text', b: false });
  });

  it("reads Gemini's upper-case OpenAPI types", () => {
    expect(
      minimalInstance({
        type: 'OBJECT',
        properties: {
          n: { type: 'INTEGER' },
          tags: { type: 'ARRAY', items: { type: 'STRING' }, minItems: 1 },
        },
        required: ['n', 'tags'],
      }),
    ).toEqual({ n: 0, tags: ['text'] });
  });

  it('stops on recursive schemas and tolerates garbage', () => {
    const recursive = { type: 'object', properties: { next: { $ref: '#' } }, required: ['next'] };
    expect(() => JSON.stringify(minimalInstance(recursive))).not.toThrow();
    expect(minimalInstance(undefined)).toBeNull();
    expect(minimalInstance({})).toEqual({});
    expect(minimalInstance({ $ref: 'http://elsewhere/schema' })).toEqual({});
  });
});
