import { describe, expect, it } from 'vitest';
import { GeminiSchemaError, toGeminiSchema } from './gemini.schema';

describe('toGeminiSchema', () => {
  it('upper-cases types and drops keys Gemini rejects', () => {
    expect(
      toGeminiSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'urn:weather',
        type: 'object',
        title: 'Weather',
        description: 'Where',
        additionalProperties: false,
        strict: true,
        properties: {
          location: { type: 'string', description: 'City', minLength: 1, pattern: '^[A-Z]' },
          days: { type: 'integer', minimum: 1, maximum: 7, exclusiveMaximum: 8, default: 3 },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 3, uniqueItems: true },
        },
        required: ['location'],
        patternProperties: { '^x-': { type: 'string' } },
      }),
    ).toEqual({
      type: 'OBJECT',
      title: 'Weather',
      description: 'Where',
      properties: {
        location: { type: 'STRING', description: 'City', minLength: 1, pattern: '^[A-Z]' },
        days: { type: 'INTEGER', minimum: 1, maximum: 7, default: 3 },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 3 },
      },
      required: ['location'],
    });
  });

  it('turns `type: [T, "null"]` into a nullable T, and several types into anyOf', () => {
    expect(toGeminiSchema({ type: ['string', 'null'] })).toEqual({
      type: 'STRING',
      nullable: true,
    });
    expect(toGeminiSchema({ type: ['string', 'integer'] })).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }],
    });
  });

  it('turns a null branch of anyOf or oneOf into nullable', () => {
    expect(
      toGeminiSchema({ anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'number' } }] }),
    ).toEqual({ type: 'ARRAY', items: { type: 'NUMBER' }, nullable: true });
    expect(
      toGeminiSchema({ oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] }),
    ).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }],
      nullable: true,
    });
  });

  it('keeps a description written beside anyOf', () => {
    expect(
      toGeminiSchema({ description: 'Either', anyOf: [{ type: 'string' }, { type: 'boolean' }] }),
    ).toEqual({ description: 'Either', anyOf: [{ type: 'STRING' }, { type: 'BOOLEAN' }] });
  });

  it('makes const and non-string enums string enums, with null as nullable', () => {
    expect(toGeminiSchema({ const: 'fixed' })).toEqual({ type: 'STRING', enum: ['fixed'] });
    expect(toGeminiSchema({ type: 'integer', enum: [1, 2, null] })).toEqual({
      type: 'INTEGER',
      enum: ['1', '2'],
      nullable: true,
    });
  });

  it('keeps only the formats Gemini accepts for the type', () => {
    expect(toGeminiSchema({ type: 'string', format: 'date-time' })).toEqual({
      type: 'STRING',
      format: 'date-time',
    });
    expect(toGeminiSchema({ type: 'string', format: 'uri' })).toEqual({ type: 'STRING' });
    expect(toGeminiSchema({ type: 'number', format: 'double' })).toEqual({
      type: 'NUMBER',
      format: 'double',
    });
  });

  it('inlines local $refs and merges their sibling keys', () => {
    expect(
      toGeminiSchema({
        type: 'object',
        properties: {
          home: { $ref: '#/$defs/Address', description: 'Home' },
          work: { $ref: '#/definitions/Address' },
        },
        $defs: { Address: { type: 'object', properties: { city: { type: 'string' } } } },
        definitions: { Address: { type: 'object', properties: { zip: { type: 'string' } } } },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        home: { type: 'OBJECT', description: 'Home', properties: { city: { type: 'STRING' } } },
        work: { type: 'OBJECT', properties: { zip: { type: 'STRING' } } },
      },
    });
  });

  it('refuses a recursive $ref', () => {
    const schema = {
      type: 'object',
      properties: { child: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } },
    };
    expect(() => toGeminiSchema(schema)).toThrow(GeminiSchemaError);
    expect(() => toGeminiSchema(schema)).toThrow(/recursive reference #\/\$defs\/Node/);
  });

  it('refuses a $ref it cannot resolve', () => {
    expect(() => toGeminiSchema({ $ref: 'https://example.com/schema.json' })).toThrow(
      /cannot resolve/,
    );
    expect(() => toGeminiSchema({ $ref: '#/$defs/Missing' })).toThrow(/cannot resolve/);
  });

  it('refuses an unknown type', () => {
    expect(() => toGeminiSchema({ type: 'date' })).toThrow(/unknown type "date"/);
  });

  it('merges allOf members', () => {
    expect(
      toGeminiSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING' }, b: { type: 'NUMBER' } },
      required: ['a', 'b'],
    });
  });

  it('keeps only declared properties in required and propertyOrdering', () => {
    expect(
      toGeminiSchema({
        type: 'object',
        properties: { a: { type: 'string' } },
        required: ['a', 'ghost'],
        propertyOrdering: ['ghost', 'a'],
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING' } },
      required: ['a'],
      propertyOrdering: ['a'],
    });
  });

  it('takes the first of `examples` as example', () => {
    expect(toGeminiSchema({ type: 'string', examples: ['Paris', 'Rome'] })).toEqual({
      type: 'STRING',
      example: 'Paris',
    });
  });

  it('treats `true` and a missing items schema as "anything"', () => {
    expect(toGeminiSchema({ type: 'object', properties: { x: true } })).toEqual({
      type: 'OBJECT',
      properties: { x: {} },
    });
  });
});
