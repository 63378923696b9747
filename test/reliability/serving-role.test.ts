// SPEC §8: a real server process given only the serving role's credentials (no owner URL, no superuser)
// runs the clinic's whole day, from a new patient to the nightly report, on a database its owner
// migrated. Proves the migration runner's grants are all the service needs, and that nothing the
// service does asks for rights over the audit trail.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { call } from './support/http.ts';
import { addDays, bookingBody, morningOf, seedPatients } from './support/seed.ts';
import { ADMIN_KEY, startServer, type ServerProcess } from './support/server-process.ts';

const PORT = 3486;

describe('the serving role only', () => {
  let db: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('runs the acceptance flow: patient, episode, book, reschedule, complete, report', async () => {
    db = await cloneDatabase('serving');
    const servingUrl = db.servingUrl!;
    const probe = new pg.Client({ connectionString: servingUrl });
    await probe.connect();
    const me = await probe.query<{ superuser: boolean; owns: number }>(
      `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              (SELECT count(*)::int FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) AS owns`,
    );
    await probe.end();
    expect(me.rows[0]).toEqual({ superuser: false, owns: 0 });

    server = await startServer({ port: PORT, databaseUrl: servingUrl, env: { LOG_LEVEL: 'info' } });
    const ready = await call(server.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'up', auditTrail: 'append-only' });

    // The clinic's day, through the public API: dates in the past so the procedure can be completed.
    const [p] = await seedPatients(server.url, 1);
    const today = new Date().toISOString().slice(0, 10);
    const first = addDays(today, -20);
    const moved = addDays(today, -6);
    const booked = await call(server.url, { method: 'POST', path: '/v1/injections', key: ADMIN_KEY, body: bookingBody(p!, first) });
    expect(booked.status, booked.text).toBe(201);
    const id = booked.body.id as string;
    const rescheduled = await call(server.url, {
      method: 'POST',
      path: `/v1/injections/${id}/reschedule`,
      key: ADMIN_KEY,
      body: { scheduledAt: morningOf(moved) },
    });
    expect(rescheduled.status, rescheduled.text).toBe(200);
    const completed = await call(server.url, {
      method: 'POST',
      path: `/v1/injections/${id}/complete`,
      key: ADMIN_KEY,
      body: { performedAt: morningOf(moved) },
    });
    expect(completed.status, completed.text).toBe(200);
    expect(completed.body.status).toBe('completed');
    const report = await call(server.url, { path: `/v1/reports/daily?date=${moved}`, key: ADMIN_KEY });
    expect(report.status, report.text).toBe(200);
    expect(report.body.injections.map((i: { injectionId: string; status: string }) => [i.injectionId, i.status])).toEqual([
      [id, 'completed'],
    ]);
    expect(report.body.integrity.ok).toBe(true);
    const audit = await call(server.url, { path: `/v1/audit-events?patientId=${p!.patientId}`, key: ADMIN_KEY });
    expect(audit.status).toBe(200);

    // Every change left its audit event, written by the serving role; no warning, no error logged.
    const actions = await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE "entityId" = $1 ORDER BY id`, [id]);
    expect(actions.map((a) => a.action)).toEqual(['injection.book', 'injection.reschedule', 'injection.complete']);
    expect(server.output.filter((l) => /could alter the audit trail/.test(l))).toEqual([]);
    expect(server.errorLines()).toEqual([]);
  });

  it('warns at start, and in /readyz, when it serves as a role that could alter the audit trail', async () => {
    await server?.stop();
    // The owner (here the set-up's superuser) as DATABASE_URL: one role for everything.
    server = await startServer({ port: PORT, databaseUrl: db!.url, env: { LOG_LEVEL: 'info' } });
    const warning = server.output.find((l) => l.includes('could alter the audit trail'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    const ready = await call(server.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.body.auditTrail).toBe('writable by the serving role');
    expect(ready.body.warnings.length).toBeGreaterThan(0);
  });
});
