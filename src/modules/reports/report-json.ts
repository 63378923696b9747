// The report's JSON, produced piece by piece so that neither its hash nor its file ever needs the
// whole text in memory at once (the 1M-injection clinic's report is ~60 MB of JSON: building it whole,
// twice, was most of the report's peak memory).
// - canonicalChunks: the canonical JSON the content hash is taken over (keys sorted, undefined left out),
//   in pieces; their concatenation is exactly canonical(v).
// - prettyChunks: exactly JSON.stringify(v, null, 2), in pieces of one array item or less.

/** Canonical JSON (object keys sorted) so the hash depends on content only, never on key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** canonical(v) in pieces: objects are walked, each array item is one piece. */
export function* canonicalChunks(v: unknown): Generator<string> {
  if (Array.isArray(v)) {
    yield '[';
    for (let i = 0; i < v.length; i++) yield i === 0 ? canonical(v[i]) : `,${canonical(v[i])}`;
    yield ']';
    return;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined);
    yield '{';
    for (let i = 0; i < keys.length; i++) {
      yield `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:`;
      yield* canonicalChunks(o[keys[i]!]);
    }
    yield '}';
    return;
  }
  yield JSON.stringify(v);
}

/** JSON.stringify(item, null, 2) placed at `indent`: every line after the first indented with it. */
const placed = (item: unknown, indent: string) => (JSON.stringify(item, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);

/** JSON.stringify(v, null, 2) in pieces: objects and arrays are walked, each array item is one piece.
 * For plain data (no toJSON, no functions or symbols), which is what a report is. */
export function* prettyChunks(v: unknown, indent = ''): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const isContainer = item !== null && typeof item === 'object';
      yield inner;
      if (isContainer && Array.isArray(item)) yield* prettyChunks(item, inner);
      else yield placed(item === undefined ? null : item, inner);
      yield i === v.length - 1 ? '\n' : ',\n';
    }
    yield `${indent}]`;
    return;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined);
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < keys.length; i++) {
      yield `${inner}${JSON.stringify(keys[i])}: `;
      yield* prettyChunks(o[keys[i]!], inner);
      yield i === keys.length - 1 ? '\n' : ',\n';
    }
    yield `${indent}}`;
    return;
  }
  yield JSON.stringify(v);
}

/** Joins small pieces into strings of about `size` characters (fewer, larger writes and updates). */
export function* batched(chunks: Iterable<string>, size = 64 * 1024): Generator<string> {
  let buf = '';
  for (const c of chunks) {
    buf += c;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
