// Hostile values: what an attacker or a broken client sends instead of what the schema asks for.
import fc from 'fast-check';

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, as on the wire). */
export function pct(v: string): string {
  return [...Buffer.from(v, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Text that has broken services before: NUL bytes, lone surrogates, markup, SQL, bidi controls. */
export const hostileText = fc.constantFrom(
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '<script>alert(1)</script>',
  "'; DROP TABLE patients; --",
  '\u202eevil',
  '%s%n%x',
  '${jndi:ldap://127.0.0.1/x}',
  '../../etc/passwd',
  '😀'.repeat(40),
  '\r\nSet-Cookie: x=1',
  ' ',
  '\t',
  'null',
  'undefined',
  '__proto__',
);

/** Values of the wrong kind for any field. */
export const wrongType = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 1.5, [], {}, [null], { $gt: '' }, '', 'NaN', '1e999'),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** Dates and instants at the edges: impossible days, far years, DST gaps, odd offsets. */
export const edgeDate = fc.constantFrom(
  '2027-02-29',
  '2028-02-29',
  '2027-02-30',
  '0000-01-01',
  '9999-12-31',
  '1900-01-01',
  '2027-13-01',
  '2027-00-10',
  '+275760-09-13',
  '2027-1-1',
  '20270101',
  '2027-03-14',
);
export const edgeInstant = fc.oneof(
  fc.constantFrom(
    '2027-03-14T02:30:00-05:00',
    '2027-11-07T01:30:00-04:00',
    '2027-02-15T09:00:00',
    '2027-02-15T09:00:00+14:00',
    '2027-02-15T09:00:00-12:00',
    '2027-02-15T24:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '1970-01-01T00:00:00.000000001Z',
    '2027-02-15T09:00:00.1234567890Z',
    '2027-02-15T09:00:00+23:59',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
);

/** A path segment that is not a clean id: bad percent-encoding, traversal, NUL, huge, prototype words. */
export const hostileSegment = fc.oneof(
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%C0%AF',
    '%00',
    '%FF%FE',
    '%ZZ',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '%F0%9F%98%80',
    '%27%20OR%201%3D1--',
    '%0d%0aSet-Cookie:x=1',
    '%25',
    '%2F',
  ),
  fc.integer({ min: 1, max: 12_000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(pct),
);

/** Query additions: repeated keys, prototype pollution, bad encodings, absurd numbers. */
export const hostileQuery = fc.constantFrom(
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  '__proto__.polluted=1',
  'q=%',
  'q=%E0%A4%A',
  'q=a&q=b',
  'limit=1e309',
  'limit=-0',
  'limit=0x10',
  'limit=',
  'limit=99999999999999999999',
  'cursor=%FF',
  `cursor=${'A'.repeat(300)}`,
  'date=2027-02-30',
  'on=+275760-09-13',
  'format=xml',
  'patientId=not-a-uuid',
  'date[]=2027-01-01',
  `q=${'x'.repeat(5000)}`,
  'q=%00',
  'limit=1&limit=2',
  '=',
  '&&&',
  'a[b][c][d][e][f][g]=1',
);

/** Content types a JSON route must refuse or read carefully. */
export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/xml',
  'application/merge-patch+json',
  'application/json, text/plain',
  '*/*',
  'application/jsonx',
  'json',
);

/** Authorization headers that are not a valid key. */
export const badAuthorization = fc.constantFrom(
  'Bearer',
  'Bearer ',
  'Basic dXNlcjpwYXNz',
  'bearer short',
  `Bearer ${'k'.repeat(5000)}`,
  'Bearer ../../etc',
  'Bearer a b c',
  'Token abc',
  'Bearer __proto__',
  'Bearer 0000000000000000000000',
);

/** Raw JSON documents with prototype-pollution keys, at the top and nested (`variant` picks one). */
export function pollutedJson(base: unknown, variant: number): string {
  const inner = base && typeof base === 'object' && !Array.isArray(base) ? JSON.stringify(base).slice(1, -1) : '';
  const sep = inner ? ',' : '';
  const docs = [
    `{"__proto__":{"polluted":"yes","role":"admin"}${sep}${inner}}`,
    `{"constructor":{"prototype":{"polluted":"yes"}}${sep}${inner}}`,
    `{${inner}${sep}"nested":{"__proto__":{"polluted":"yes"}}}`,
    `{"__proto__":[]${sep}${inner}}`,
  ];
  return docs[variant % docs.length]!;
}

/** `{"a":{"a":…}}` or `[[[…]]]` nested `depth` levels. */
export function deepJson(depth: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const NOT_UTF8 = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80]];

/** Bytes that are not UTF-8 placed inside a JSON string value (`variant` picks the bytes). */
export function invalidUtf8Json(base: unknown, variant: number): Buffer {
  const text = JSON.stringify(base && typeof base === 'object' ? base : { value: base });
  const at = Math.max(1, text.indexOf('":"') + 3);
  const bad = NOT_UTF8[variant % NOT_UTF8.length]!;
  return Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), Buffer.from(bad), Buffer.from(text.slice(at), 'utf8')]);
}
