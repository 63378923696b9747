// Configuration of the API's own secrets and limits: SERVER_SECRET, RATE_LIMIT_PER_MINUTE,
// API_KEY_CACHE, and the server secret generated once into DATA_DIR when SERVER_SECRET is unset.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { resolveServerSecret } from '../../src/server-secret.ts';

describe('security settings', () => {
  it('default to a per-key limit of 600 a minute, the key cache on, and no SERVER_SECRET', () => {
    expect(loadConfig({})).toMatchObject({ rateLimitPerMinute: 600, apiKeyCache: true, serverSecret: undefined });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', API_KEY_CACHE: 'off' })).toMatchObject({ rateLimitPerMinute: 0, apiKeyCache: false });
  });

  it('refuse a short SERVER_SECRET, a negative limit and an unknown cache mode, naming each without echoing the secret', () => {
    let error: unknown;
    try {
      loadConfig({ SERVER_SECRET: 'too-short-secret', RATE_LIMIT_PER_MINUTE: '-1', API_KEY_CACHE: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['SERVER_SECRET', 'RATE_LIMIT_PER_MINUTE', 'API_KEY_CACHE']) expect(message).toContain(name);
    expect(message).not.toContain('too-short-secret');
  });
});

describe('the server secret', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('comes from SERVER_SECRET when set, and writes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'esi-secret-'));
    const s = await resolveServerSecret('x'.repeat(40), dir);
    expect(s).toEqual({ secret: 'x'.repeat(40), source: 'env' });
    await expect(stat(join(dir, 'server-secret'))).rejects.toThrow();
  });

  it('is generated once into DATA_DIR with mode 0600 and read back on the next start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'esi-secret-'));
    const first = await resolveServerSecret(undefined, join(dir, 'data'));
    expect(first.source).toBe('generated-file');
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'data', 'server-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.secret);
    const again = await resolveServerSecret(undefined, join(dir, 'data'));
    expect(again).toMatchObject({ secret: first.secret, source: 'file' });
  });

  it('two instances starting at once on one DATA_DIR end up with the same secret', async () => {
    dir = await mkdtemp(join(tmpdir(), 'esi-secret-'));
    const both = await Promise.all([resolveServerSecret(undefined, dir), resolveServerSecret(undefined, dir)]);
    expect(both[0].secret).toBe(both[1].secret);
  });

  it('is replaced when the file holds something too short to be a secret', async () => {
    dir = await mkdtemp(join(tmpdir(), 'esi-secret-'));
    await writeFile(join(dir, 'server-secret'), 'short\n', { mode: 0o600 });
    const s = await resolveServerSecret(undefined, dir);
    expect(s.secret.length).toBeGreaterThanOrEqual(32);
  });
});
