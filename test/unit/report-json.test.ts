// The report's JSON in pieces must be byte for byte what the whole-text functions give: the content
// hash and the report file depend on it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched, canonical, canonicalChunks, prettyChunks } from '../../src/modules/reports/report-json.ts';

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string(), fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  ),
})).value;

const join = (chunks: Iterable<string>) => [...chunks].join('');

describe('report JSON in pieces', () => {
  it('prettyChunks is JSON.stringify(v, null, 2)', () => {
    fc.assert(
      fc.property(plain, (v) => join(prettyChunks(v)) === JSON.stringify(v, null, 2)),
      { numRuns: 500 },
    );
  });

  it('canonicalChunks is canonical(v), keys sorted and undefined left out', () => {
    fc.assert(
      fc.property(plain, (v) => join(canonicalChunks(v)) === canonical(v)),
      { numRuns: 500 },
    );
    expect(canonical({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
  });

  it('batched keeps the text and makes pieces of about the size asked', () => {
    const pieces = [...batched(['ab', 'cd', 'e', 'fgh', 'i'], 4)];
    expect(pieces.join('')).toBe('abcdefghi');
    expect(pieces).toEqual(['abcd', 'efgh', 'i']);
  });
});
