// SPEC §8, two database roles: the apps of this suite run as a serving role that owns nothing and was
// granted its rights by the migration runner. That role cannot rewrite, empty or unprotect the audit
// trail or its seals, whatever SQL it sends; the owner can, which is why the server warns when it
// serves as the owner.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { migrate } from '../../../src/db/migrate.ts';
import { createDatabase } from '../../../src/db/prisma.ts';
import { APPEND_ONLY_TABLES, auditTrailExposure, urlUser } from '../../../src/db/roles.ts';
import { createTestApp, factories, type TestApp } from '../../helpers/app.ts';

let t: TestApp;
let serving: pg.Client;
let owner: pg.Client;

beforeAll(async () => {
  t = await createTestApp();
  await factories(t.app).patient(); // at least one audit row to attack
  serving = new pg.Client({ connectionString: t.testDb.servingUrl });
  owner = new pg.Client({ connectionString: t.testDb.url });
  await serving.connect();
  await owner.connect();
  await owner.query(`INSERT INTO audit_seals (day, "timeZone", "startsAt", "endsAt", "rowCount", digest, seal)
                     VALUES ('2020-01-01', 'UTC', '2020-01-01T00:00Z', '2020-01-02T00:00Z', 0, repeat('0', 64), repeat('1', 64))`);
});

afterAll(async () => {
  await serving.end();
  await owner.end();
  await t.close();
});

const refused = async (client: pg.Client, sql: string) => {
  const err = (await client.query(sql).then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string } | undefined;
  return err?.code;
};

describe('the serving role', () => {
  it('is what the apps run as: not a superuser, and not the owner', async () => {
    const { rows } = await serving.query<{ user: string; superuser: boolean }>(
      'SELECT current_user AS user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser',
    );
    expect(rows[0]).toEqual({ user: urlUser(t.testDb.servingUrl), superuser: false });
    expect(urlUser(t.testDb.servingUrl)).not.toBe(urlUser(t.testDb.url));
    const owned = await serving.query(
      `SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    expect(owned.rowCount).toBe(0);
  });

  for (const table of APPEND_ONLY_TABLES) {
    it(`cannot disable the triggers of ${table}, nor update, delete or truncate its rows`, async () => {
      const before = (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      expect(before).toBeGreaterThan(0);
      // 42501 insufficient_privilege, 42501/42P01-free: refused by the privilege system, not the trigger.
      expect(await refused(serving, `ALTER TABLE ${table} DISABLE TRIGGER USER`)).toBe('42501');
      expect(await refused(serving, `ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toBe('42501');
      expect(await refused(serving, `DELETE FROM ${table}`)).toBe('42501');
      expect(await refused(serving, `UPDATE ${table} SET "${table === 'audit_events' ? 'action' : 'digest'}" = 'x'`)).toBe('42501');
      expect(await refused(serving, `TRUNCATE ${table}`)).toBe('42501');
      expect(await refused(serving, `DROP TABLE ${table}`)).toBe('42501');
      expect((await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n).toBe(before);
    });
  }

  it('cannot switch triggers off for its session (session_replication_role needs a superuser)', async () => {
    expect(await refused(serving, 'SET session_replication_role = replica')).toBe('42501');
    expect(await refused(serving, "SELECT set_config('session_replication_role', 'replica', false)")).toBe('42501');
  });

  it('cannot grant itself more, nor record a migration', async () => {
    const me = urlUser(t.testDb.servingUrl);
    // PostgreSQL answers a GRANT by a role without grant option with a warning: check the outcome.
    await serving.query(`GRANT UPDATE, DELETE ON audit_events TO "${me}"`).catch(() => undefined);
    const { rows } = await serving.query<{ u: boolean }>(`SELECT has_table_privilege('audit_events', 'UPDATE') AS u`);
    expect(rows[0]!.u).toBe(false);
    expect(await refused(serving, `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('x', 'x', 'forged')`)).toBe(
      '42501',
    );
    expect(await refused(serving, `CREATE TABLE forged (x int)`)).toBe('42501');
  });

  it('still appends audit events and seals, which is all the service asks of it', async () => {
    const res = await factories(t.app).call('GET', '/v1/audit-events?limit=1');
    expect(res.status).toBe(200);
    await serving.query(`INSERT INTO audit_seals (day, "timeZone", "startsAt", "endsAt", "rowCount", digest, "previousSeal", seal)
                         VALUES ('2020-01-02', 'UTC', '2020-01-02T00:00Z', '2020-01-03T00:00Z', 0, repeat('0', 64), repeat('1', 64), repeat('2', 64))`);
  });

  it('is granted tables that later migrations add, without naming them anywhere', async () => {
    await owner.query('CREATE TABLE later_feature (id BIGSERIAL PRIMARY KEY, note TEXT)');
    expect(await refused(serving, `INSERT INTO later_feature (note) VALUES ('x')`)).toBe('42501');
    await migrate(t.testDb.url, { servingRole: urlUser(t.testDb.servingUrl) });
    await serving.query(`INSERT INTO later_feature (note) VALUES ('x')`);
    expect((await serving.query('SELECT note FROM later_feature')).rows).toEqual([{ note: 'x' }]);
    expect(await refused(serving, 'TRUNCATE later_feature')).toBe('42501');
  });
});

describe('the exposure check', () => {
  it('finds nothing to warn about for the serving role, and says so in /readyz', async () => {
    expect(await auditTrailExposure(t.db.pool)).toEqual({ exposed: false, reasons: [] });
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: 'up', auditTrail: 'append-only' });
  });

  it('warns in /readyz when the server queries as a role that could alter the audit trail', async () => {
    const db = createDatabase({ url: t.testDb.url, poolSize: 2 });
    const app = await buildApp({ config: t.config, db, serveDashboard: false });
    try {
      const exposure = await auditTrailExposure(db.pool);
      expect(exposure.exposed).toBe(true);
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ auditTrail: string; warnings: string[] }>();
      expect(body.auditTrail).toBe('writable by the serving role');
      expect(body.warnings.join(' ')).toMatch(/superuser|owns audit_events/);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
