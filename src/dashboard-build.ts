// `npm start` serves the built dashboard; build it first when web/dist is missing or older than web/src.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const WEB = fileURLToPath(new URL('../web', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureDashboardBuilt(log: Logger): Promise<void> {
  const src = join(WEB, 'src');
  if (!existsSync(src)) return;
  const index = join(WEB, 'dist', 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < Math.max(newestMtime(src), statSync(join(WEB, 'index.html')).mtimeMs);
  if (!stale) return;
  log.info('building the dashboard');
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' });
  if (r.status !== 0) log.warn('dashboard build failed; the API still runs');
}
