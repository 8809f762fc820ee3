import type { GeminiSchema, GeminiSchemaType } from './gemini.types';

/** A JSON Schema construct that Gemini's OpenAPI-subset schema cannot express. */
export class GeminiSchemaError extends Error {
  override readonly name = 'GeminiSchemaError';
}

type JsonSchema = Record<string, unknown>;

const schemaTypes: Readonly<Record<string, GeminiSchemaType>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};

/** The `format` values Gemini accepts, per type; any other format is left out. */
const acceptedFormats: Readonly<Partial<Record<GeminiSchemaType, readonly string[]>>> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

const numberKeys = [
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
] as const;

const stringKeys = ['title', 'description', 'pattern'] as const;

const maxDepth = 64;

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNullSchema(value: unknown): boolean {
  return isRecord(value) && value.type === 'null';
}

function enumValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function schemaType(name: unknown, path: string): GeminiSchemaType {
  const type = typeof name === 'string' ? schemaTypes[name] : undefined;
  if (type === undefined)
    throw new GeminiSchemaError(`${path}: unknown type ${JSON.stringify(name)}`);
  return type;
}

/** Merges converted schemas left to right: properties and required are united, the rest overwritten. */
function mergeSchemas(schemas: readonly GeminiSchema[]): GeminiSchema {
  const merged: GeminiSchema = {};
  for (const schema of schemas) {
    const { properties, required, ...rest } = schema;
    Object.assign(merged, rest);
    if (properties) merged.properties = { ...merged.properties, ...properties };
    if (required) merged.required = [...new Set([...(merged.required ?? []), ...required])];
  }
  return merged;
}

class Converter {
  constructor(private readonly root: JsonSchema) {}

  convert(node: unknown, path: string, refs: readonly string[]): GeminiSchema {
    if (node === true || node === undefined) return {};
    if (!isRecord(node)) throw new GeminiSchemaError(`${path}: not a schema object`);
    if (refs.length + path.split('.').length > maxDepth) {
      throw new GeminiSchemaError(`${path}: nested deeper than ${maxDepth} levels`);
    }

    const { $ref, allOf, anyOf, oneOf, ...rest } = node;
    if (typeof $ref === 'string') {
      if (refs.includes($ref)) {
        throw new GeminiSchemaError(
          `${path}: the recursive reference ${$ref} cannot be expressed in Gemini's schema`,
        );
      }
      return this.convert({ ...this.resolve($ref, path), ...rest }, path, [...refs, $ref]);
    }

    const parts: GeminiSchema[] = [];
    if (Array.isArray(allOf)) {
      allOf.forEach((member, i) => parts.push(this.convert(member, `${path}.allOf[${i}]`, refs)));
    }
    const own = this.convertPlain(rest, path, refs);
    const variants: unknown[] | undefined = Array.isArray(anyOf)
      ? anyOf
      : Array.isArray(oneOf)
        ? oneOf
        : undefined;
    if (variants === undefined) return mergeSchemas([...parts, own]);

    const key = Array.isArray(anyOf) ? 'anyOf' : 'oneOf';
    const nullable = variants.some(isNullSchema);
    const converted = variants
      .map((variant, i) => ({ variant, i }))
      .filter(({ variant }) => !isNullSchema(variant))
      .map(({ variant, i }) => this.convert(variant, `${path}.${key}[${i}]`, refs));
    let result: GeminiSchema;
    if (converted.length === 1 && converted[0]) {
      result = mergeSchemas([...parts, converted[0], own]);
    } else {
      const ownWithoutType = { ...own };
      delete ownWithoutType.type;
      result = mergeSchemas([...parts, ownWithoutType]);
      if (converted.length > 1) result.anyOf = converted;
    }
    if (nullable) result.nullable = true;
    return result;
  }

  private resolve(ref: string, path: string): JsonSchema {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const name = match?.[2]?.replace(/~1/g, '/').replace(/~0/g, '~');
    const defs = match?.[1] === undefined ? undefined : this.root[match[1]];
    const target = name !== undefined && isRecord(defs) ? defs[name] : undefined;
    if (!isRecord(target)) {
      throw new GeminiSchemaError(
        `${path}: cannot resolve ${ref} (only local #/$defs/… and #/definitions/… references)`,
      );
    }
    return target;
  }

  private convertPlain(node: JsonSchema, path: string, refs: readonly string[]): GeminiSchema {
    const schema: GeminiSchema = {};

    if (Array.isArray(node.type)) {
      const types = node.type.filter((type) => type !== 'null');
      if (types.length < node.type.length) schema.nullable = true;
      if (types.length === 1) schema.type = schemaType(types[0], `${path}.type`);
      else if (types.length > 1) {
        schema.anyOf = types.map((type) => ({ type: schemaType(type, `${path}.type`) }));
      }
    } else if (node.type === 'null') {
      schema.nullable = true;
    } else if (node.type !== undefined) {
      schema.type = schemaType(node.type, `${path}.type`);
    }
    if (node.nullable === true) schema.nullable = true;

    const format = node.format;
    if (
      typeof format === 'string' &&
      schema.type &&
      acceptedFormats[schema.type]?.includes(format)
    ) {
      schema.format = format;
    }
    for (const key of stringKeys) {
      const value = node[key];
      if (typeof value === 'string') schema[key] = value;
    }
    for (const key of numberKeys) {
      const value = node[key];
      if (typeof value === 'number' && Number.isFinite(value)) schema[key] = value;
    }
    if ('default' in node && node.default !== undefined) schema.default = node.default;
    if ('example' in node && node.example !== undefined) schema.example = node.example;
    else if (Array.isArray(node.examples) && node.examples.length > 0) {
      schema.example = node.examples[0];
    }

    const values =
      'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
    if (values !== undefined) {
      if (values.includes(null)) schema.nullable = true;
      schema.enum = values.filter((value) => value !== null).map(enumValue);
      if (schema.type === undefined && schema.anyOf === undefined) schema.type = 'STRING';
    }

    if (isRecord(node.properties)) {
      const properties: Record<string, GeminiSchema> = {};
      for (const [name, property] of Object.entries(node.properties)) {
        properties[name] = this.convert(property, `${path}.properties.${name}`, refs);
      }
      schema.properties = properties;
      if (schema.type === undefined && schema.anyOf === undefined) schema.type = 'OBJECT';
      const names = Object.keys(properties);
      if (Array.isArray(node.required)) {
        const required = node.required.filter(
          (name): name is string => typeof name === 'string' && names.includes(name),
        );
        if (required.length > 0) schema.required = required;
      }
      if (Array.isArray(node.propertyOrdering)) {
        schema.propertyOrdering = node.propertyOrdering.filter(
          (name): name is string => typeof name === 'string' && names.includes(name),
        );
      }
    }

    if (isRecord(node.items)) {
      schema.items = this.convert(node.items, `${path}.items`, refs);
    } else if (Array.isArray(node.items) && node.items.length > 0) {
      const items = node.items.map((item, i) => this.convert(item, `${path}.items[${i}]`, refs));
      schema.items = items.length === 1 && items[0] ? items[0] : { anyOf: items };
    }
    return schema;
  }
}

/**
 * Gemini's OpenAPI-subset schema for a JSON Schema, as `functionDeclarations[].parameters` and
 * `generationConfig.responseSchema` take it. Types become upper case (`"string"` → `STRING`);
 * `type: [T, "null"]`, a `null` branch of `anyOf`/`oneOf` and `null` in `enum` become
 * `nullable`; `oneOf` becomes `anyOf`; `allOf` is merged; `const` becomes a one-value `enum`
 * and enum values become strings; local `$ref`s (`#/$defs/…`, `#/definitions/…`) are inlined;
 * `required` and `propertyOrdering` keep only declared properties; `examples[0]` becomes
 * `example`. Keys Gemini rejects (`additionalProperties`, `$schema`, `$id`, `$defs`, `strict`,
 * `exclusiveMinimum`, `patternProperties`, `prefixItems`, `not`, `if`/`then`/`else`, …) and
 * string formats other than `enum` and `date-time` are left out. Throws GeminiSchemaError for
 * a recursive or unresolvable `$ref` and for an unknown type.
 */
export function toGeminiSchema(schema: Record<string, unknown>): GeminiSchema {
  return new Converter(schema).convert(schema, '$', []);
}
