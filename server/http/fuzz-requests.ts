// Requests for the OpenAPI fuzz test (fuzz.test.ts): every operation of /api/openapi.json, first
// as a valid-looking request built from its schemas, then broken in one place by fast-check:
// wrong types, control characters, lone surrogates, megabyte strings, deep nesting, bad ids and
// cursors, unknown fields, empty and truncated JSON, truncated multipart.
import fc from 'fast-check';

type Json = Record<string, unknown>;

export interface Operation {
  method: string;
  /** OpenAPI path: /api/v1/customers/{id} */
  path: string;
  parameters: { name: string; in: string; required: boolean; schema: Json }[];
  body?: Json;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** What was broken, for the failure report. */
  label: string;
}

/** Ids and names of existing rows, so valid-looking requests reach past the 404s. */
export interface Fixtures {
  ids: Record<string, string>;
  domain: string;
}

export function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(methods as Record<string, Json>)) {
      const content = (op.requestBody as Json | undefined)?.content as Json | undefined;
      const body = (content?.['application/json'] as Json | undefined)?.schema as Json | undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters']).filter(
          (p) => p.in === 'path' || p.in === 'query',
        ),
        body,
      });
    }
  }
  return operations;
}

/** Builds valid-looking values from JSON schemas (the subset zod's toJSONSchema writes). */
export class Sampler {
  private counter = 0;
  constructor(
    private readonly components: Record<string, Json>,
    private readonly fixtures: Fixtures,
  ) {}

  resolve(schema: Json): Json {
    const ref = schema.$ref;
    if (typeof ref === 'string') return this.resolve(this.components[ref.split('/').pop()!] ?? {});
    return schema;
  }

  value(raw: Json, name = ''): unknown {
    const schema = this.resolve(raw);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    const choices = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
    if (choices) {
      const usable = choices.filter((c) => this.resolve(c).type !== 'null');
      return this.value(usable[0] ?? choices[0]!, name);
    }
    const type = Array.isArray(schema.type)
      ? (schema.type as string[]).find((t) => t !== 'null')
      : (schema.type as string | undefined);
    switch (type) {
      case 'object':
        return this.object(schema);
      case 'array': {
        const item = this.value((schema.items as Json | undefined) ?? {}, singular(name));
        return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => item);
      }
      case 'integer':
      case 'number':
        return Number(schema.minimum ?? 1);
      case 'boolean':
        return false;
      case 'string':
        return this.string(schema, name);
      default:
        return 'fuzz';
    }
  }

  object(schema: Json): Json {
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    const out: Json = {};
    for (const [key, property] of Object.entries(properties)) out[key] = this.value(property, key);
    return out;
  }

  private string(schema: Json, name: string): string {
    const fixture = this.fixtures.ids[name];
    if (fixture) return fixture;
    this.counter += 1;
    if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
    if (schema.format === 'date') return '2026-01-01';
    if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
    if (schema.pattern === '^[A-Z]{2}$') return 'NO';
    if (/email|address/i.test(name)) return `fuzz-${this.counter}@fuzz.example`;
    if (/phone|^from$|^to$/i.test(name)) return '+4798765432';
    if (/domain/i.test(name)) return this.fixtures.domain;
    if (name === 'password') return 'correct horse battery';
    if (name === 'key') return `fuzz_${this.counter}`;
    const min = Number(schema.minLength ?? 0);
    return `fuzz ${this.counter}`.padEnd(min, 'x').slice(0, Number(schema.maxLength ?? 100));
  }
}

function singular(name: string): string {
  return name.endsWith('Ids') ? name.slice(0, -1) : name;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors this API never gave out: fractions, huge numbers, NUL or lone surrogates inside. */
export const badCursor: fc.Arbitrary<string> = fc.constantFrom(
  'zzz',
  b64('{"n":1e308}'),
  b64('{"n":1.5}'),
  b64('{"n":-1}'),
  b64('{"n":"1"}'),
  b64('{"id":"a\\u0000b"}'),
  b64('{"id":"\\ud800"}'),
  b64('{"name":"a\\u0000","id":"b"}'),
  b64('{"name":1,"id":[]}'),
  b64('[1,2]'),
  b64('null'),
);

/** Ids that are not ids, or are ids of nothing. */
export const badUuid: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '00000000-0000-0000-0000-00000000000g',
    '00000000-0000-4000-8000-000000000000',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '{00000000-0000-4000-8000-000000000000}',
    '00000000000040008000000000000000',
    'none',
  ),
  fc.uuid(),
);

/** Strings no person types: control characters, lone surrogates, broken ids and cursors. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    '\u0001\u0002\u001f',
    'x\u007f',
    '\ud800',
    'ok\udfff',
    'x\ud83d',
    '\ufeffbom',
    '\u202eevil',
    '',
    ' ',
    '%',
    '%00',
    '../../etc/passwd',
    '"',
    "'; drop table customers; --",
    '*',
    'NEAR(a b)',
    'a AND b',
    '\\',
    '__proto__',
    'constructor',
    'null',
    '123',
    '-1',
    '1e309',
    'x'.repeat(10_000),
  ),
  badCursor,
  badUuid,
  fc.string({ maxLength: 40 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 })
    .map((codes) => String.fromCharCode(...codes)),
);

/** Placeholders replaced in the serialized body: a 1 MB string and 10,000 levels of nesting. */
const MEGA = '\u0001MEGA';
const DEEP = '\u0001DEEP';
const DEPTH = 10_000;

/** Any JSON value of the wrong kind, or a string of the hostile kind. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, 0, -1, 1.5, 2 ** 53 + 2, 1e300, [], {}, [null], { a: 1 }),
  fc.constant(MEGA),
  fc.constant(DEEP),
  fc.jsonValue({ maxDepth: 3 }),
);

export function serializeBody(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll(JSON.stringify(MEGA), JSON.stringify('x'.repeat(1_000_000)))
    .replaceAll(JSON.stringify(DEEP), `${'{"a":['.repeat(DEPTH)}1${']}'.repeat(DEPTH)}`);
}

/** Percent-encodes any JS string, lone surrogates too (as the bytes WTF-8 would send). */
export function encodeAny(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((c) => {
        const code = c.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdfff && c.length === 1) {
          return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('');
        }
        return encodeURIComponent(c);
      })
      .join('');
  }
}

/** Raw query and path forms that no string encodes to: broken escapes, invalid UTF-8. */
const rawHostile = fc.constantFrom('%', '%zz', '%E0%A4', '%C0%80', '%ED%A0%80', '%FF', '%2e%2e');

export interface Valid {
  params: Record<string, string>;
  query: Record<string, string>;
  body?: Json;
}

export function validRequest(op: Operation, sampler: Sampler, fixtures: Fixtures): Valid {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'path') params[p.name] = pathFixture(op.path, p.name, fixtures);
    else if (p.required) query[p.name] = String(sampler.value(p.schema, p.name));
  }
  const body = op.body ? (sampler.value(op.body) as Json) : undefined;
  return { params, query, body };
}

/** The fixture a path parameter names: the collection before {id} decides which. */
function pathFixture(path: string, name: string, fixtures: Fixtures): string {
  if (name === 'domain') return fixtures.domain;
  if (name !== 'id') return fixtures.ids[name] ?? '00000000-0000-4000-8000-000000000000';
  const collection = /\/([a-z-]+)\/\{id\}/.exec(path)?.[1] ?? '';
  return fixtures.ids[collection] ?? '00000000-0000-4000-8000-000000000000';
}

export function buildUrl(op: Operation, params: Record<string, string>, query: string): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'x');
  return query ? `${path}?${query}` : path;
}

const encodeQuery = (query: Record<string, string>) =>
  Object.entries(query)
    .map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`)
    .join('&');

/** One broken request for an operation; the valid one is among them, unbroken. */
export function fuzzRequest(op: Operation, valid: Valid): fc.Arbitrary<FuzzRequest> {
  const json = { 'content-type': 'application/json' };
  const base = (label: string, patch: Partial<FuzzRequest> & { params?: Valid['params'] }) => {
    const { params, ...rest } = patch;
    return {
      method: op.method,
      url: buildUrl(op, params ?? encodeParams(valid.params), encodeQuery(valid.query)),
      headers: valid.body ? json : {},
      body: valid.body ? serializeBody(valid.body) : undefined,
      label,
      ...rest,
    };
  };
  const pathNames = Object.keys(valid.params);
  const queryNames = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const bodyKeys = valid.body ? Object.keys(valid.body) : [];
  const cases: fc.Arbitrary<FuzzRequest>[] = [fc.constant(base('valid', {}))];
  if (pathNames.length) {
    cases.push(
      fc
        .tuple(fc.constantFrom(...pathNames), fc.oneof(hostileString.map(encodeAny), rawHostile))
        .map(([name, value]) =>
          base(`path ${name}=${value.slice(0, 60)}`, {
            params: { ...encodeParams(valid.params), [name]: value || '%20' },
          }),
        ),
    );
  }
  cases.push(
    fc
      .tuple(
        fc.constantFrom(...queryNames, 'unknownField', '__proto__'),
        fc.oneof(
          hostileString.filter((s) => s.length < 5000).map(encodeAny),
          badCursor,
          badUuid,
          rawHostile,
          fc.constant('a&$NAME=b'),
        ),
      )
      .map(([name, value]) => {
        const extra = `${encodeAny(name)}=${value.replace('$NAME', encodeAny(name))}`;
        const query = [encodeQuery(valid.query), extra].filter(Boolean).join('&');
        return base(`query ${name}=${value.slice(0, 60)}`, {
          url: buildUrl(op, encodeParams(valid.params), query),
        });
      }),
  );
  if (queryNames.includes('cursor')) {
    cases.push(
      badCursor.map((cursor) =>
        base(`cursor ${Buffer.from(cursor, 'base64url').toString().slice(0, 60)}`, {
          url: buildUrl(
            op,
            encodeParams(valid.params),
            [encodeQuery(valid.query), `cursor=${cursor}`].filter(Boolean).join('&'),
          ),
        }),
      ),
    );
  }
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    const body = valid.body ?? {};
    cases.push(
      fc.tuple(fc.constantFrom(...bodyKeys, 'unknownField'), hostileValue).map(([key, value]) =>
        base(`body ${key}=${describe(value)}`, {
          headers: json,
          body: serializeBody({ ...body, [key]: value }),
        }),
      ),
      fc
        .constantFrom(
          '',
          '{',
          '{"a":',
          'null',
          '[]',
          '"text"',
          '123',
          '{"a":1}{"b":2}',
          '\ufeff{}',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`,
          serializeBody(DEEP),
          'not json at all',
        )
        .map((raw) =>
          base(`raw ${JSON.stringify(raw.slice(0, 30))}`, { headers: json, body: raw }),
        ),
      fc.integer({ min: 0, max: Math.max(0, serializeBody(body).length - 1) }).map((cut) =>
        base(`truncated JSON at ${cut}`, {
          headers: json,
          body: serializeBody(body).slice(0, cut),
        }),
      ),
      fc
        .constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'application/xml',
        )
        .map((type) => base(`content-type ${type}`, { headers: { 'content-type': type } })),
    );
  }
  return fc.oneof(...cases);
}

function encodeParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeAny(v)]));
}

function describe(value: unknown): string {
  if (value === MEGA) return '1 MB string';
  if (value === DEEP) return `${DEPTH} levels deep`;
  return (JSON.stringify(value) ?? String(value)).slice(0, 60);
}
