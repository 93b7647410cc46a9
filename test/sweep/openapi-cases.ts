// Request generation from the live OpenAPI document: each route's parameters and body schema, a valid example
// of a schema, and values that are invalid for a schema (wrong types, NUL and lone surrogates, over-long and
// exotic strings, huge and negative numbers, deep nesting). Shared by the sweep and the authorization matrix.
import { randomUUID } from 'node:crypto';
import { ROUTE_ACCESS, type Access } from '../../api/openapi';

export type Schema = Record<string, any>;

export interface Operation {
  method: string;
  /** OpenAPI path, `{param}` style. */
  path: string;
  access: Access;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; schema: Schema; required: boolean }[];
  headerParams: { name: string; schema: Schema; required: boolean }[];
  /** The JSON body schema, when the route takes one. */
  body: Schema | null;
}

/** Resolves `$ref`s (one level at a time, lazily) against the document's components. */
export function resolver(doc: Schema) {
  return (schema: Schema | undefined): Schema => {
    let current = schema ?? {};
    for (let i = 0; current.$ref && i < 10; i++) {
      current = doc.components.schemas[String(current.$ref).replace('#/components/schemas/', '')];
    }
    return current;
  };
}

const shape = (path: string) => path.replace(/:\w+|\{\w+\}/g, ':param');

/** Every operation of the document with its declared access (from the route table). */
export function operations(doc: Schema): Operation[] {
  const access = new Map(ROUTE_ACCESS.map((r) => [`${r.method} ${shape(r.path)}`, r.access]));
  const resolve = resolver(doc);
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const declared = access.get(`${method.toUpperCase()} ${shape(path)}`);
      if (!declared) continue; // documentation routes (openapi.json, docs) are not API routes
      const params: Schema[] = op.parameters ?? [];
      const jsonBody = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        access: declared,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema), required: Boolean(p.required) })),
        headerParams: params
          .filter((p) => p.in === 'header')
          .map((p) => ({ name: p.name, schema: resolve(p.schema), required: Boolean(p.required) })),
        body: jsonBody ? resolve(jsonBody) : null,
      });
    }
  }
  return out;
}

export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? randomUUID());
}

function typeOf(schema: Schema): string | null {
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null') ?? null;
  if (schema.type) return schema.type;
  if (schema.enum) return typeof schema.enum[0];
  return null;
}

const isNullable = (schema: Schema) =>
  schema.nullable === true ||
  (Array.isArray(schema.type) && schema.type.includes('null')) ||
  (schema.anyOf ?? schema.oneOf ?? []).some((s: Schema) => s.type === 'null');

/** A value the schema accepts, as far as its JSON Schema says (refinements may still refuse it: that is a 4xx). */
export function validValue(schema: Schema, resolve: (s: Schema) => Schema, depth = 0): unknown {
  const s = resolve(schema);
  if (depth > 6) return null;
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  const variants = s.oneOf ?? s.anyOf;
  if (variants)
    return validValue(variants.find((v: Schema) => v.type !== 'null') ?? variants[0], resolve, depth + 1);
  switch (typeOf(s)) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'email') return `sweep-${randomUUID().slice(0, 8)}@example.test`;
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (s.format === 'uri') return 'https://example.test/hook';
      return 'x'.repeat(Math.max(8, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () =>
        validValue(s.items ?? {}, resolve, depth + 1),
      );
    case 'object': {
      const out: Record<string, unknown> = {};
      // All required properties; for an all-optional body (a PATCH), its first property, so it changes something.
      const names: string[] = s.required?.length ? s.required : Object.keys(s.properties ?? {}).slice(0, 1);
      for (const name of names) out[name] = validValue(s.properties?.[name] ?? {}, resolve, depth + 1);
      return out;
    }
    default:
      return 'x';
  }
}

/** Nested arrays/objects `depth` levels deep. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { n: value };
  return value;
}

export const NUL_STRINGS = ['\u0000', 'ok\u0000', '\u0000\u0000\u0000', 'a\u0000b\u202e'];
export const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud83d', '\ude00b', '\udc00\ud800'];
/** Valid strings nobody expects; invalid wherever a format, pattern or enum applies. */
export const EXOTIC_STRINGS = ['\u202eevil', 'שלום עולם', '😀', '👩‍👩‍👧‍👦', 'e\u0301', '\uffff', ' '];
export const HUGE_NUMBERS = [2 ** 53, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_VALUE];
export const NUMBER_LIKE_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '9007199254740993',
  '-0',
  '0x10',
  '1_000',
];

/** JSON values the schema refuses: each one alone makes a request invalid. */
export function invalidValues(schema: Schema, resolve: (s: Schema) => Schema): unknown[] {
  const s = resolve(schema);
  const type = typeOf(s);
  const variants = s.oneOf ?? s.anyOf;
  if (!type && !variants) return []; // unconstrained (z.unknown): nothing is invalid
  const out: unknown[] = [];
  // wrong types
  if (type !== 'string') out.push('x', '', ...NUMBER_LIKE_STRINGS.slice(0, 3));
  if (type !== 'integer' && type !== 'number') out.push(1, -0, ...HUGE_NUMBERS.slice(0, 3));
  if (type !== 'boolean') out.push(true, false);
  if (type !== 'array') out.push([], [1]);
  if (type !== 'object') out.push({}, { a: 1 });
  if (!isNullable(s)) out.push(null);
  if (variants && !type) out.push({});
  if (type === 'string') {
    out.push(...NUL_STRINGS, ...LONE_SURROGATES);
    if (s.maxLength !== undefined) {
      out.push('x'.repeat(s.maxLength + 1), '😀'.repeat(s.maxLength + 1), '\u202e'.repeat(s.maxLength + 1));
    } else out.push('x'.repeat(100_000) + '\u0000');
    if (s.format || s.pattern || s.enum) out.push(...EXOTIC_STRINGS, 'not valid!', '<script>');
    if ((s.minLength ?? 0) > 0) out.push('');
  }
  if (type === 'integer' || type === 'number') {
    if (type === 'integer') out.push(1.5, 0.1);
    if (s.maximum !== undefined) out.push(s.maximum + 1, ...HUGE_NUMBERS);
    const min =
      s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + Number.EPSILON : undefined);
    if (min !== undefined && min > 0) out.push(0, -0, -1, -(2 ** 53));
    else if (min !== undefined && min >= 0) out.push(-1, -(2 ** 53), -1e308);
  }
  if (type === 'array') {
    const itemInvalid = s.items ? invalidValues(s.items, resolve).slice(0, 6) : [];
    out.push(...itemInvalid.map((v) => [v]));
    if ((s.minItems ?? 0) > 0) out.push([]);
  }
  if (type === 'object' && (s.required ?? []).length) out.push({}, []);
  return out;
}

/** Query-string values the parameter refuses (strings only: z.coerce accepts '1' for a number). */
export function invalidQueryValues(name: string, schema: Schema): string[] {
  const out = ['\u0000', `x\u0000`];
  if (name === 'cursor') out.push(...BAD_CURSORS);
  if (schema.enum) {
    out.push('x', `${schema.enum[0]} `, '😀', '\u202e');
    // Lower case is refused only where the enum is not lower case already (event types are).
    if (!schema.enum.includes(schema.enum[0].toLowerCase())) out.push(schema.enum[0].toLowerCase());
  }
  if (schema.format === 'uuid')
    out.push('x', '1', '😀', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(600));
  if (schema.format === 'date-time') out.push(...BAD_DATES);
  if (schema.type === 'integer' || schema.type === 'number') {
    out.push('abc', 'NaN', 'Infinity', '1.5', '1e308', '9007199254740993', '2e53', '😀', '\u202e1');
    if (schema.maximum !== undefined) out.push(String(schema.maximum + 1));
    if ((schema.minimum ?? -1) > 0) out.push('0', '-0', '-1', '');
    else if ((schema.minimum ?? -1) === 0) out.push('-1', '-9007199254740991');
  }
  if (schema.type === 'string' && schema.maxLength !== undefined) {
    out.push('x'.repeat(schema.maxLength + 1), '😀'.repeat(schema.maxLength + 1));
  }
  if (schema.type === 'boolean') out.push('maybe', '2', '😀');
  return out;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const BAD_CURSORS = [
  'x',
  '%%%',
  cursorOf(['0000-01-01T00:00:00.000Z', randomUUID()]),
  cursorOf(['1 2', randomUUID()]),
  cursorOf(['+275760-09-13T00:00:00.000Z', randomUUID()]),
  cursorOf(['2026-02-30T00:00:00.000Z', randomUUID()]),
  cursorOf(['2026-01-01T00:00:00.000Z', 'x\u0000']),
  cursorOf(['2026-01-01T00:00:00.000Z', '99999999999999999999999']),
  cursorOf(['2026-01-01T00:00:00.000Z', "' or 1=1 --"]),
  cursorOf({ createdAt: '2026-01-01T00:00:00.000Z' }),
  cursorOf(null),
  cursorOf(nested(200)),
];
export const BAD_DATES = [
  '0000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-01-01T24:00:01Z',
  '9999-12-31T23:59:60Z',
  '1 2',
  'yesterday',
  '2026-01-01',
  '',
];
