// Writes the server's OpenAPI document to a file without a database or a listening server, so
// `npm run lint` can lint the contract on a fresh clone (the pg pool is lazy and /openapi.json runs
// no query; the key cache, which would connect, is off).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDatabase } from '../src/db/prisma.ts';

export async function openapiDocument(): Promise<Record<string, unknown>> {
  const db = createDatabase({ url: 'postgresql://127.0.0.1:1/unused', poolSize: 1 });
  const config = loadConfig({ LOG_LEVEL: 'silent', REPORT_SCHEDULER: 'off' });
  const app = await buildApp({ config, db, serveDashboard: false, keyCache: false });
  try {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
    return res.json<Record<string, unknown>>();
  } finally {
    await app.close();
    await db.close();
  }
}

const out = process.argv[2];
if (out) {
  const file = resolve(out);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(await openapiDocument(), null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
