import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      clinicTimeZone: 'America/New_York',
      logLevel: 'info',
      databaseUrl: undefined,
      adminApiKey: undefined,
    });
  });

  it('reads every variable of the specification', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/esi',
      HOST: '0.0.0.0',
      PORT: '8080',
      CLINIC_TIMEZONE: 'Europe/Berlin',
      ADMIN_API_KEY: 'a-long-enough-admin-key-0123456789abc',
      LOG_LEVEL: 'debug',
    });
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/esi',
      host: '0.0.0.0',
      port: 8080,
      clinicTimeZone: 'Europe/Berlin',
      adminApiKey: 'a-long-enough-admin-key-0123456789abc',
      logLevel: 'debug',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: '70000', CLINIC_TIMEZONE: 'Mars/Olympus', ADMIN_API_KEY: 'short', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['DATABASE_URL', 'PORT', 'CLINIC_TIMEZONE', 'ADMIN_API_KEY', 'LOG_LEVEL']) expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('never echoes the admin key in its message', () => {
    try {
      loadConfig({ ADMIN_API_KEY: 'tiny' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('tiny');
    }
  });

  it('needs an admin key of at least 32 characters', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'a'.repeat(31) })).toThrow(/ADMIN_API_KEY: must be at least 32 characters/);
    expect(loadConfig({ ADMIN_API_KEY: 'a'.repeat(32) }).adminApiKey).toBe('a'.repeat(32));
  });

  it('reads the admin key from ADMIN_API_KEY_FILE (a container secret), validated like the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esi-config-'));
    try {
      const file = join(dir, 'admin_api_key');
      writeFileSync(file, 'file-admin-key-0123456789abcdef-0123456789\n');
      expect(loadConfig({ ADMIN_API_KEY_FILE: file }).adminApiKey).toBe('file-admin-key-0123456789abcdef-0123456789');
      writeFileSync(file, 'short-secret\n');
      let message = '';
      try {
        loadConfig({ ADMIN_API_KEY_FILE: file });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('ADMIN_API_KEY (from ADMIN_API_KEY_FILE): must be at least 32 characters');
      expect(message).not.toContain('short-secret');
      expect(() => loadConfig({ ADMIN_API_KEY_FILE: join(dir, 'missing') })).toThrow(/ADMIN_API_KEY_FILE: cannot read .*ENOENT/);
      expect(() => loadConfig({ ADMIN_API_KEY_FILE: file, ADMIN_API_KEY: 'x'.repeat(40) })).toThrow(/not both/);
      // The database URLs too, so no password sits in the environment.
      writeFileSync(join(dir, 'database_url'), 'postgresql://esi_app:s3cret@db:5432/esi\n');
      writeFileSync(join(dir, 'database_owner_url'), 'postgresql://esi_owner:0wner@db:5432/esi\n');
      expect(
        loadConfig({ DATABASE_URL_FILE: join(dir, 'database_url'), DATABASE_OWNER_URL_FILE: join(dir, 'database_owner_url') }),
      ).toMatchObject({
        databaseUrl: 'postgresql://esi_app:s3cret@db:5432/esi',
        databaseOwnerUrl: 'postgresql://esi_owner:0wner@db:5432/esi',
      });
      writeFileSync(join(dir, 'database_url'), 'mysql://esi_app:s3cret@db/esi\n');
      expect(() => loadConfig({ DATABASE_URL_FILE: join(dir, 'database_url') })).toThrow(/DATABASE_URL \(from DATABASE_URL_FILE\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the owner role URL, which needs the serving role URL beside it', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgresql://esi_app:p@db/esi', DATABASE_OWNER_URL: 'postgresql://esi_owner:q@db/esi' }),
    ).toMatchObject({ databaseUrl: 'postgresql://esi_app:p@db/esi', databaseOwnerUrl: 'postgresql://esi_owner:q@db/esi' });
    expect(() => loadConfig({ DATABASE_OWNER_URL: 'postgresql://esi_owner:q@db/esi' })).toThrow(/DATABASE_OWNER_URL: needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://a@db/esi', DATABASE_OWNER_URL: 'mysql://x' })).toThrow(/DATABASE_OWNER_URL/);
  });

  it('takes the embedded PostgreSQL port from EMBEDDED_PG_PORT', () => {
    expect(loadConfig({}).embeddedPgPort).toBe(54329);
    expect(loadConfig({ EMBEDDED_PG_PORT: '55000' }).embeddedPgPort).toBe(55000);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: '80' })).toThrow(/EMBEDDED_PG_PORT/);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: 'x' })).toThrow(/EMBEDDED_PG_PORT/);
  });
});
