// Two server processes on one database: concurrent, conflicting bookings spread over both, then every
// request retried with its Idempotency-Key on the other instance.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { percentile, printFigures, tally } from './support/figures.ts';
import { call, isProblem, pool, type Seen } from './support/http.ts';
import { checkInvariants, missingBookings, NO_BREAKS } from './support/invariants.ts';
import { SIZES } from './support/profile.ts';
import { addDays, bookingBody, createKey, FIRST_BOOKING_DATE, prng, seedPatients, type SeededPatient } from './support/seed.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const SEED = 20_261_127;
/** Ten attempts per patient over 60 days: at most five fit 14 days apart, so most conflict. */
const WINDOW_DAYS = 60;

describe('two instances, one database', () => {
  let db: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await cloneDatabase('two');
    // One after the other: a first start may build the dashboard.
    servers.push(await startServer({ port: 3450, databaseUrl: db.url }));
    servers.push(await startServer({ port: 3451, databaseUrl: db.url }));
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await db?.drop();
  });

  it('keeps R2 under concurrent conflicting bookings, loses no 201, and replays retries on the other instance', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const { key } = await createKey(a.url, 'front_desk');
    const patients = await seedPatients(a.url, SIZES.bookingPatients);
    const random = prng(SEED);
    const attempts = Array.from({ length: SIZES.bookingAttempts }, (_, i) => {
      const patient = patients[i % patients.length] as SeededPatient;
      return {
        server: random() < 0.5 ? a : b,
        idempotencyKey: randomUUID(),
        body: bookingBody(patient, addDays(FIRST_BOOKING_DATE, Math.floor(random() * WINDOW_DAYS))),
      };
    });

    const started = Date.now();
    const seen = await pool(
      50,
      attempts.map(
        (t) => () => call(t.server.url, { method: 'POST', path: '/v1/injections', key, body: t.body, idempotencyKey: t.idempotencyKey }),
      ),
    );
    const burstMs = Date.now() - started;

    const created = seen.filter((s) => s.status === 201);
    const refused = seen.filter((s) => s.status !== 201);
    expect(seen.filter((s) => s.status === 0 || s.status >= 500).map((s) => s.error ?? s.text)).toEqual([]);
    expect(refused.filter((s) => !(s.status === 422 || s.status === 409) || !isProblem(s)).map((s) => `${s.status} ${s.text}`)).toEqual([]);
    // The window guarantees conflicts and room for successes; both must have happened.
    expect(created.length).toBeGreaterThanOrEqual(patients.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(
      refused
        .filter((s) => s.status === 422)
        .every((s) => (s.body.violations as { rule: string }[]).some((v) => v.rule === 'R2_INJECTION_INTERVAL')),
    ).toBe(true);

    // Database: R2 holds, every 201 is there with its audit event, nothing else was booked.
    expect(await checkInvariants(db)).toEqual(NO_BREAKS);
    const ids = created.map((s) => String(s.body.id));
    expect(await missingBookings(db, ids)).toEqual({ missing: [], withoutAudit: [] });
    const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM injections')) as [{ n: string }];
    expect(Number(n)).toBe(created.length);

    // Every attempt retried with its key on the other instance replays the first answer byte for byte.
    const retries = await pool(
      50,
      attempts.map(
        (t) => () =>
          call(t.server === a ? b.url : a.url, {
            method: 'POST',
            path: '/v1/injections',
            key,
            body: t.body,
            idempotencyKey: t.idempotencyKey,
          }),
      ),
    );
    const mismatched = retries.filter(
      (r, i) => r.status !== seen[i]!.status || r.text !== seen[i]!.text || r.headers['idempotent-replayed'] !== 'true',
    );
    expect(mismatched.map((r) => `${r.status} ${r.text.slice(0, 120)}`)).toEqual([]);
    // The same key with another body is refused, not replayed or executed.
    const first = attempts[0]!;
    const reused = await call(b.url, {
      method: 'POST',
      path: '/v1/injections',
      key,
      body: { ...first.body, side: 'right' },
      idempotencyKey: first.idempotencyKey,
    });
    expect([reused.status, reused.body?.code]).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);
    const [{ n: after }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM injections')) as [{ n: string }];
    expect(Number(after)).toBe(created.length);

    printFigures('two-instances', {
      attempts: attempts.length,
      patients: patients.length,
      perInstance: { a: attempts.filter((t) => t.server === a).length, b: attempts.filter((t) => t.server === b).length },
      statuses: tally(seen.map((s) => s.status)),
      codes: tally(refused.map((s: Seen) => String(s.body?.code))),
      burstMs,
      latencyMs: {
        p50: percentile(
          seen.map((s) => s.ms),
          50,
        ),
        p99: percentile(
          seen.map((s) => s.ms),
          99,
        ),
        max: percentile(
          seen.map((s) => s.ms),
          100,
        ),
      },
      retriesOnOtherInstance: retries.length,
      retriesReplayed: retries.filter((r) => r.headers['idempotent-replayed'] === 'true').length,
      injectionsInDatabase: Number(after),
      invariants: 'R2 pairs 0, several open episodes 0, cross-patient episodes 0, unaudited bookings 0',
    });
  });
});
