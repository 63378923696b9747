// Text PostgreSQL or Prisma cannot carry is refused before any handler runs: a NUL character (text
// columns reject it) or a lone UTF-16 surrogate (Prisma's engine fails to encode the query, a 500).
// JSON allows both ("\u0000", "\ud800"), so body, query and path parameters are all checked.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../shared/errors.ts';

const MESSAGE = 'must be valid Unicode text without NUL characters';
/** NUL, or a surrogate code unit not part of a pair (with the u flag, a proper pair is one code point). */
const UNSTORABLE = /[\0\p{Cs}]/u;

/** The path of the first unstorable string in a parsed value, walked without recursion (a body may
 * nest thousands of levels deep). */
export function findBadText(root: unknown, rootPath: string): string | undefined {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path;
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (UNSTORABLE.test(k)) return path;
        stack.push([v, `${path}.${k}`]);
      }
    }
  }
  return undefined;
}

function check(request: FastifyRequest): void {
  const bad = findBadText(request.params, 'params') ?? findBadText(request.query, 'querystring') ?? findBadText(request.body, 'body');
  if (bad)
    throw new AppError('REQUEST.VALIDATION', `Request is invalid: ${bad} ${MESSAGE}`.slice(0, 1000), {
      errors: [{ path: bad.slice(0, 200), message: MESSAGE }],
    });
}

export default fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => check(request));
  },
  { name: 'input-text' },
);
