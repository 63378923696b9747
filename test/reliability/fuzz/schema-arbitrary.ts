// Arbitraries from the service's own OpenAPI document: every route with its parameters and body
// schema, and fast-check values that fit (or nearly fit) each JSON Schema.
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

export interface Operation {
  method: string;
  /** OpenAPI path with `{id}` placeholders. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  roles: string[];
}

/** What the arbitraries read of the document: its named schemas, for `$ref`. */
export interface SchemaDoc {
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiDoc extends SchemaDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
        'x-roles'?: string[];
      }
    >
  >;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true, schema: p.schema })),
        body: op.requestBody?.content?.['application/json']?.schema,
        roles: op['x-roles'] ?? [],
      });
    }
  }
  return ops;
}

/** Overrides by property name, so bodies reach the service with ids and instants that exist. */
export type Hints = (name: string) => fc.Arbitrary<unknown> | undefined;

const MAX_STRING = 120;

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? MAX_STRING, MAX_STRING);
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      return fc.stringMatching(re).filter((v) => v.length <= (s.maxLength ?? Infinity) && v.length >= minLength);
    } catch {
      // a pattern JavaScript cannot compile: fall through to plain strings
    }
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, maxLength) });
}

export function arbitraryFor(schema: JsonSchema, doc: SchemaDoc, hints: Hints, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    const target = doc.components?.schemas?.[name];
    return target && depth < 6 ? arbitraryFor(target, doc, hints, depth + 1) : fc.constant(null);
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, doc, hints, depth + 1)));
  if (schema.allOf?.length) return arbitraryFor(Object.assign({}, ...schema.allOf) as JsonSchema, doc, hints, depth + 1);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => arbitraryFor({ ...schema, type: t }, doc, hints, depth + 1)));
  switch (types[0]) {
    case 'string':
      return stringArb(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? arbitraryFor(schema.items, doc, hints, depth + 1) : fc.jsonValue(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const required = schema.required ?? [];
      const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, hints(k) ?? arbitraryFor(s, doc, hints, depth + 1)]));
      // Usually all required keys; sometimes one missing, to reach the validation of each.
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    case undefined:
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
