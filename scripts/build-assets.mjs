// After `tsc -p tsconfig.build.json`: places next to dist/src what the compiled code reads relative to
// its own location (src/version.ts reads ../package.json, src/db/migrate.ts ../../prisma/migrations, src/config.ts ../policies,
// the dashboard plugin ../../web/dist), so `node dist/src/server.js` runs from any working directory.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

mkdirSync(dist, { recursive: true });
cpSync(`${root}package.json`, `${dist}/package.json`);
rmSync(`${dist}/prisma`, { recursive: true, force: true });
cpSync(`${root}prisma/migrations`, `${dist}/prisma/migrations`, { recursive: true });
rmSync(`${dist}/policies`, { recursive: true, force: true });
cpSync(`${root}policies`, `${dist}/policies`, { recursive: true });
rmSync(`${dist}/web`, { recursive: true, force: true });
if (existsSync(`${root}web/dist`)) cpSync(`${root}web/dist`, `${dist}/web/dist`, { recursive: true });
