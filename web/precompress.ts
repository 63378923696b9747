// Writes gzip and brotli copies beside every text file of the build (`x.js` → `x.js.gz`, `x.js.br`),
// which the server sends to browsers that accept them: compressed once at build, not per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(html|js|mjs|css|svg|json|txt|map)$/;

export function precompress(dir: string): string[] {
  const written: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      written.push(...precompress(p));
      continue;
    }
    if (!TEXT.test(e.name) || statSync(p).size < 256) continue;
    const body = readFileSync(p);
    writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(
      `${p}.br`,
      brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
    );
    written.push(p);
  }
  return written;
}
