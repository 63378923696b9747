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
});
