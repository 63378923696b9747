// SPEC §8 tamper evidence: each ended clinic-local day of the audit trail is sealed (digest of its rows
// in id order, chained to the previous day's seal) and append-only; verification (the report's
// integrity section, `npm run audit:verify`) names each day whose rows were changed, removed or
// inserted after sealing. Tampering is done as the owner role, the only one that can.
import { execFile } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAuditDays, verifyAuditSeals } from '../../../src/modules/audit/audit-seals.ts';
import { auth, createTestApp, type TestApp } from '../../helpers/app.ts';

const ZONE = 'America/New_York';
const ROOT = new URL('../../../', import.meta.url).pathname;

let t: TestApp;
let owner: pg.Client;

/** An audit event at a given instant, written as the service would (the serving role may insert). */
async function event(at: string, action = 'patient.read'): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO audit_events (at, "actorName", "actorRole", action, "entityType", "entityId", after)
     VALUES ($1::timestamptz, 'Seal Test', 'admin', $2, 'patient', 'p-1', '{"note": "x"}') RETURNING id::text AS id`,
    [at, action],
  );
  return rows[0]!.id;
}

async function asOwnerWithoutTriggers(table: string, sql: string, params: unknown[] = []): Promise<void> {
  await owner.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  try {
    await owner.query(sql, params);
  } finally {
    await owner.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }
}

function verifyCli(env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/audit-verify.ts'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', ...env }, timeout: 60_000 },
      (err, stdout) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout }),
    );
  });
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ clinicTimeZone: ZONE });
  owner = new pg.Client({ connectionString: t.testDb.url });
  await owner.connect();
  // 2020-03-08 is a daylight-saving change in New York (a 23-hour day); 2020-03-05 has no events.
  ids.d2a = await event('2020-03-02T14:00:00Z');
  ids.d2b = await event('2020-03-02T20:00:00Z');
  ids.d3 = await event('2020-03-03T15:00:00Z');
  // 04:30 UTC on the 4th is 23:30 on the 3rd in New York: the clinic's day, not UTC's.
  ids.d3late = await event('2020-03-04T04:30:00Z');
  ids.d4 = await event('2020-03-04T16:00:00Z');
  ids.d6 = await event('2020-03-06T16:00:00Z');
  ids.d8 = await event('2020-03-08T15:00:00Z');
});

afterAll(async () => {
  await owner.end();
  await t.close();
});

describe('sealing', () => {
  it('seals each ended clinic-local day from the oldest event on, empty days included, and chains them', async () => {
    const first = await sealAuditDays(t.db.pool, ZONE, new Date('2020-03-05T12:00:00Z'));
    expect(first.sealed).toEqual(['2020-03-02', '2020-03-03', '2020-03-04']);
    // Catch-up: the days since the last run, continuing the chain.
    const second = await sealAuditDays(t.db.pool, ZONE, new Date('2020-03-10T12:00:00Z'));
    expect(second.sealed).toEqual(['2020-03-05', '2020-03-06', '2020-03-07', '2020-03-08', '2020-03-09']);
    const { rows } = await owner.query(
      `SELECT day::text AS day, "rowCount", "firstId"::text AS "firstId", "previousSeal", seal,
              (extract(epoch FROM "endsAt" - "startsAt") / 3600)::int AS hours FROM audit_seals ORDER BY day`,
    );
    expect(rows.map((r) => [r.day, r.rowCount])).toEqual([
      ['2020-03-02', 2],
      ['2020-03-03', 2],
      ['2020-03-04', 1],
      ['2020-03-05', 0],
      ['2020-03-06', 1],
      ['2020-03-07', 0],
      ['2020-03-08', 1],
      ['2020-03-09', 0],
    ]);
    expect(rows.find((r) => r.day === '2020-03-08')!.hours).toBe(23);
    expect(rows[0].previousSeal).toBeNull();
    for (let i = 1; i < rows.length; i++) expect(rows[i].previousSeal).toBe(rows[i - 1].seal);
    expect((await verifyAuditSeals(t.db.pool)).problems).toEqual([]);
  });

  it('is idempotent and safe when instances seal at once: each day once', async () => {
    const again = await Promise.all([
      sealAuditDays(t.db.pool, ZONE, new Date('2020-03-12T12:00:00Z')),
      sealAuditDays(t.db.pool, ZONE, new Date('2020-03-12T12:00:00Z')),
      sealAuditDays(t.db.pool, ZONE, new Date('2020-03-12T12:00:00Z')),
    ]);
    expect(again.flatMap((r) => r.sealed).sort()).toEqual(['2020-03-10', '2020-03-11']);
    expect((await sealAuditDays(t.db.pool, ZONE, new Date('2020-03-12T12:00:00Z'))).sealed).toEqual([]);
    const { rows } = await owner.query<{ n: number; days: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT day)::int AS days FROM audit_seals',
    );
    expect(rows[0]).toEqual({ n: 10, days: 10 });
  });

  it('never seals a day that has not ended by the database clock', async () => {
    const r = await sealAuditDays(t.db.pool, ZONE, new Date('2999-01-01T00:00:00Z'));
    const { rows } = await owner.query<{ day: string }>(`SELECT max(day)::text AS day FROM audit_seals`);
    const todayNy = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
    expect(rows[0]!.day < todayNy).toBe(true);
    expect(r.sealed.length).toBeGreaterThan(0);
  });

  it('keeps its seals append-only: the serving role cannot change them', async () => {
    const serving = new pg.Client({ connectionString: t.testDb.servingUrl });
    await serving.connect();
    try {
      await expect(serving.query(`UPDATE audit_seals SET seal = digest`)).rejects.toMatchObject({ code: '42501' });
      await expect(serving.query(`DELETE FROM audit_seals`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await serving.end();
    }
    // Not even the owner, while the trigger is on.
    await expect(owner.query(`DELETE FROM audit_seals`)).rejects.toThrow(/append-only/);
  });
});

describe('verification', () => {
  it('passes on an untouched trail, on the command line too', async () => {
    const cli = await verifyCli({ DATABASE_URL: t.testDb.servingUrl });
    expect(cli.stdout).toContain('Intact');
    expect(cli.code).toBe(0);
  });

  it('names each day whose rows were changed, removed or inserted by the owner behind the service', async () => {
    await asOwnerWithoutTriggers('audit_events', `UPDATE audit_events SET after = '{"note": "rewritten"}' WHERE id = $1`, [ids.d2b]);
    await asOwnerWithoutTriggers('audit_events', `DELETE FROM audit_events WHERE id = $1`, [ids.d3late]);
    await event('2020-03-07T12:00:00Z', 'patient.update'); // backdated into a sealed, empty day
    const v = await verifyAuditSeals(t.db.pool);
    expect(v.problems).toEqual([
      { day: '2020-03-02', problem: 'ROWS_CHANGED', sealedRowCount: 2, rowCount: 2 },
      { day: '2020-03-03', problem: 'ROWS_REMOVED', sealedRowCount: 2, rowCount: 1 },
      { day: '2020-03-07', problem: 'ROWS_INSERTED', sealedRowCount: 0, rowCount: 1 },
    ]);
  });

  it('names a seal that was edited or removed', async () => {
    await asOwnerWithoutTriggers('audit_seals', `UPDATE audit_seals SET "rowCount" = 5 WHERE day = '2020-03-09'`);
    await asOwnerWithoutTriggers('audit_seals', `DELETE FROM audit_seals WHERE day = '2020-03-05'`);
    const v = await verifyAuditSeals(t.db.pool);
    expect(v.problems.filter((p) => p.day >= '2020-03-04').map((p) => [p.day, p.problem])).toEqual([
      ['2020-03-06', 'CHAIN_BROKEN'],
      ['2020-03-07', 'ROWS_INSERTED'],
      ['2020-03-09', 'SEAL_ALTERED'],
      ['2020-03-09', 'ROWS_REMOVED'],
    ]);
  });

  it('fails `npm run audit:verify` with exit code 3, naming the days', async () => {
    const cli = await verifyCli({ DATABASE_URL: t.testDb.servingUrl });
    expect(cli.code).toBe(3);
    for (const day of ['2020-03-02', '2020-03-03', '2020-03-06', '2020-03-07', '2020-03-09']) expect(cli.stdout).toContain(day);
    expect(cli.stdout).toContain('TAMPERED');
  });

  it("reports the same days in the daily report's integrity section", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2020-03-10', headers: auth() });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.integrity.ok).toBe(false);
    const check = r.integrity.checks.find((c: { check: string }) => c.check === 'auditSeals');
    expect(check).toMatchObject({ ok: false, count: 6 });
    expect(r.integrity.auditSeals.map((p: { day: string }) => p.day)).toEqual([
      '2020-03-02',
      '2020-03-03',
      '2020-03-06',
      '2020-03-07',
      '2020-03-09',
      '2020-03-09',
    ]);
    // The summary stops at the report's date (its seal pins the chain up to it), so a re-run of the
    // date after more days were sealed says the same.
    const { rows } = await owner.query<{ seal: string }>(`SELECT seal FROM audit_seals WHERE day = '2020-03-10'`);
    expect(r.integrity.seals).toEqual({ sealedDays: 8, firstDay: '2020-03-02', lastDay: '2020-03-10', lastSeal: rows[0]!.seal });
  });
});
