import { asArray, asNumber, asString, isObject, type JsonObject } from './json';

const maxDepth = 12;

const stringFormats: Readonly<Record<string, string>> = {
  'date-time': '1970-01-01T00:00:00Z',
  date: '1970-01-01',
  time: '00:00:00Z',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  uuid: '00000000-0000-0000-0000-000000000000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
};

function resolveRef(ref: string, root: JsonObject): unknown {
  if (!ref.startsWith('#')) return {};
  const path = ref
    .slice(1)
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~')));
  let node: unknown = root;
  for (const segment of path) {
    if (!isObject(node)) return {};
    node = node[segment];
  }
  return node ?? {};
}

/** The JSON type a schema asks for, lower-cased (Gemini writes `OBJECT`), or undefined. */
function schemaType(schema: JsonObject): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type.toLowerCase();
  const types = asArray(type)?.filter((t): t is string => typeof t === 'string');
  if (types && types.length > 0) {
    const nonNull = types.find((t) => t.toLowerCase() !== 'null');
    return (nonNull ?? types[0] ?? '').toLowerCase();
  }
  if (isObject(schema['properties']) || asArray(schema['required'])) return 'object';
  if (schema['items'] !== undefined || asArray(schema['prefixItems'])) return 'array';
  return undefined;
}

function minimalNumber(schema: JsonObject, integer: boolean): number {
  const minimum = asNumber(schema['minimum']);
  const exclusive = asNumber(schema['exclusiveMinimum']);
  const maximum = asNumber(schema['maximum']);
  let value = 0;
  if (minimum !== undefined) value = minimum;
  else if (exclusive !== undefined) value = integer ? Math.floor(exclusive) + 1 : exclusive + 1;
  else if (maximum !== undefined && maximum < 0) value = maximum;
  if (integer) value = Math.ceil(value);
  const multipleOf = asNumber(schema['multipleOf']);
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
  }
  return value;
}

function minimalString(schema: JsonObject): string {
  const format = asString(schema['format']);
  let value = (format !== undefined ? stringFormats[format] : undefined) ?? 'text';
  const minLength = asNumber(schema['minLength']);
  const maxLength = asNumber(schema['maxLength']);
  if (minLength !== undefined && value.length < minLength) {
    value = value + 'x'.repeat(minLength - value.length);
  }
  if (maxLength !== undefined && value.length > maxLength) value = value.slice(0, maxLength);
  return value;
}

function mergeAllOf(schema: JsonObject, parts: readonly unknown[], root: JsonObject): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  const merged: JsonObject = { ...schema };
  delete merged['allOf'];
  for (const part of parts) {
    const resolved =
      isObject(part) && typeof part['$ref'] === 'string' ? resolveRef(part['$ref'], root) : part;
    if (!isObject(resolved)) continue;
    Object.assign(merged, resolved);
    if (isObject(resolved['properties'])) Object.assign(properties, resolved['properties']);
    for (const name of asArray(resolved['required']) ?? []) {
      if (typeof name === 'string') required.push(name);
    }
  }
  if (isObject(schema['properties'])) Object.assign(properties, schema['properties']);
  for (const name of asArray(schema['required']) ?? []) {
    if (typeof name === 'string') required.push(name);
  }
  if (Object.keys(properties).length > 0) merged['properties'] = properties;
  if (required.length > 0) merged['required'] = [...new Set(required)];
  return merged;
}

function instanceOf(schema: unknown, root: JsonObject, depth: number): unknown {
  if (!isObject(schema) || depth > maxDepth) return null;
  if (typeof schema['$ref'] === 'string') {
    return instanceOf(resolveRef(schema['$ref'], root), root, depth + 1);
  }
  if ('const' in schema) return schema['const'];
  const enumValues = asArray(schema['enum']);
  if (enumValues && enumValues.length > 0) return enumValues[0];
  const allOf = asArray(schema['allOf']);
  if (allOf && allOf.length > 0)
    return instanceOf(mergeAllOf(schema, allOf, root), root, depth + 1);
  const choice = asArray(schema['anyOf']) ?? asArray(schema['oneOf']);
  if (choice && choice.length > 0) {
    const nonNull = choice.find((option) => !(isObject(option) && option['type'] === 'null'));
    return instanceOf(nonNull ?? choice[0], root, depth + 1);
  }
  switch (schemaType(schema)) {
    case 'object': {
      const properties = isObject(schema['properties']) ? schema['properties'] : {};
      const required = (asArray(schema['required']) ?? []).filter(
        (name): name is string => typeof name === 'string',
      );
      const result: JsonObject = {};
      for (const name of required)
        result[name] = instanceOf(properties[name] ?? {}, root, depth + 1);
      const minProperties = asNumber(schema['minProperties']) ?? 0;
      for (const name of Object.keys(properties)) {
        if (Object.keys(result).length >= minProperties) break;
        if (!(name in result)) result[name] = instanceOf(properties[name], root, depth + 1);
      }
      return result;
    }
    case 'array': {
      const prefixItems = asArray(schema['prefixItems']) ?? [];
      const minItems = Math.max(asNumber(schema['minItems']) ?? 0, 0);
      const items: unknown[] = [];
      for (let i = 0; i < minItems; i++) {
        items.push(instanceOf(prefixItems[i] ?? schema['items'] ?? {}, root, depth + 1));
      }
      return items;
    }
    case 'string':
      return minimalString(schema);
    case 'integer':
      return minimalNumber(schema, true);
    case 'number':
      return minimalNumber(schema, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}

/**
 * A small deterministic instance that validates against `schema` (JSON Schema, or Gemini's
 * OpenAPI subset with upper-case types): objects hold their required properties (at least
 * `minProperties`), arrays `minItems` items, strings `"text"` (or a value of their `format`,
 * padded to `minLength`), numbers their lower bound or 0, booleans false; `const`, the first
 * `enum` value, the first non-null `anyOf`/`oneOf` branch, merged `allOf`, local `$ref`s.
 * `pattern` is not honoured.
 */
export function minimalInstance(schema: unknown): unknown {
  return instanceOf(schema, isObject(schema) ? schema : {}, 0);
}
