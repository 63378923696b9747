// The server secret keys the idempotency request hashes (and anything else that must be keyed by the
// service rather than by a caller). SERVER_SECRET wins; without it the secret is generated once into
// DATA_DIR/server-secret (mode 0600) so it survives restarts. Several instances on one database must
// share it: set SERVER_SECRET on each (or share DATA_DIR).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServerSecret {
  secret: string;
  source: 'env' | 'file' | 'generated-file' | 'process';
  file?: string;
}

export async function resolveServerSecret(fromEnv: string | undefined, dataDir: string): Promise<ServerSecret> {
  if (fromEnv) return { secret: fromEnv, source: 'env' };
  const file = join(dataDir, 'server-secret');
  let damaged = false;
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return { secret: existing, source: 'file', file };
    damaged = true; // emptied or truncated: replaced (records under the old secret count as unknown)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return processSecret();
  }
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString('base64url');
    // 'wx': two instances starting at once on one DATA_DIR must not overwrite each other's secret.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: damaged ? 'w' : 'wx' });
    await chmod(file, 0o600);
    return { secret, source: 'generated-file', file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !damaged) {
      // Another instance is writing it at this moment: read it once that write is done.
      await new Promise((r) => setTimeout(r, 100));
      return resolveServerSecret(undefined, dataDir);
    }
    return processSecret();
  }
}

/** A read-only DATA_DIR: the secret lives as long as the process (idempotency records of a previous
 * process are then treated as fresh keys). The caller logs a warning. */
const processSecret = (): ServerSecret => ({ secret: randomBytes(32).toString('base64url'), source: 'process' });
