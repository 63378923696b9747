// R2 under concurrency: simultaneous requests for one patient end with exactly one booking and clear
// 422s, never a 500; and when PostgreSQL's exclusion constraint (not the code check) catches the
// conflict, the client still gets the same R2 422 with a usable earliest date.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectViolation, nyMorning, type Res } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
let sql: pg.Client;
beforeAll(async () => {
  t = await createTestApp();
  a = api(t);
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const dayOfMarch = (n: number) => `2027-03-${String(n).padStart(2, '0')}`;

function tally(results: Res[]) {
  const by = (s: number) => results.filter((r) => r.status === s);
  return { created: by(201), refused: by(422), other: results.filter((r) => r.status !== 201 && r.status !== 422) };
}

describe('simultaneous bookings', () => {
  it('20 bookings within 13 days for one patient: exactly one 201, the rest R2 422s', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => a.book(patientId, episodeId, nyMorning(dayOfMarch(1 + (i % 13))))),
    );
    const { created, refused, other } = tally(results);
    expect(other.map((r) => r.status)).toEqual([]);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.body.violations[0].rule).toBe('R2_INJECTION_INTERVAL');
    const rows = await a.history(patientId);
    expect(rows.map((r) => r.id)).toEqual([created[0]!.body.id]);
  });

  it('simultaneous bookings for different patients all succeed', async () => {
    const patients = await Promise.all(Array.from({ length: 8 }, () => a.exemptPatient()));
    const results = await Promise.all(patients.map((p) => a.book(p.patientId, p.episodeId, nyMorning('2027-04-05'))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
  });

  it('two reschedules racing into each other: one wins, one is refused, both rows stay consistent', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const x = await a.booked(patientId, episodeId, '2027-05-03');
    const y = await a.booked(patientId, episodeId, '2027-06-07');
    const results = await Promise.all([a.reschedule(x.id, nyMorning('2027-05-20')), a.reschedule(y.id, nyMorning('2027-05-25'))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const dates = (await a.history(patientId)).map((r) => r.localDate);
    expect(dates).toHaveLength(2);
    expect(Math.abs(Date.parse(dates[1]) - Date.parse(dates[0])) / 86_400_000).toBeGreaterThanOrEqual(14);
  });

  it('a booking racing a cancellation of the same date never leaves two counted injections', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const first = await a.booked(patientId, episodeId, '2027-07-05');
    const [cancel, book] = await Promise.all([a.cancel(first.id), a.book(patientId, episodeId, nyMorning('2027-07-06'))]);
    expect(cancel.status).toBe(200);
    expect([201, 422]).toContain(book.status);
    const counted = (await a.history(patientId)).filter((r) => r.status === 'scheduled');
    expect(counted).toHaveLength(book.status === 201 ? 1 : 0);
  });
});

describe('simultaneous completions and bookings, judged by the date given', () => {
  /** Every pair of one patient's counted injections, by the dates stored (the dates given). */
  async function closestPair(patientId: string): Promise<number | null> {
    const { rows } = await sql.query<{ gap: number | null }>(
      `SELECT min(b."localDate" - a."localDate")::int AS gap FROM injections a JOIN injections b
         ON b."patientId" = a."patientId" AND b.id <> a.id AND b."localDate" >= a."localDate"
       WHERE a."patientId" = $1 AND a.status IN ('scheduled', 'completed') AND b.status IN ('scheduled', 'completed')`,
      [patientId],
    );
    return rows[0]?.gap ?? null;
  }

  it('20 completions on other dates and bookings racing for one patient: never two within 14 days, no 5xx', async () => {
    t.setNow('2027-12-01T17:00:00Z');
    try {
      for (let round = 0; round < 3; round++) {
        const { patientId, episodeId } = await a.exemptPatient();
        const booked = [];
        for (const d of ['2027-02-01', '2027-02-15', '2027-03-01', '2027-03-15', '2027-03-29'])
          booked.push(await a.booked(patientId, episodeId, d));
        // Each completion is given a week after its booking, into the next one's 14 days; the bookings
        // land in the gaps the completions open or close.
        const completions = booked.map(
          (b, k) => () => a.complete(b.id, nyMorning(['2027-02-08', '2027-02-22', '2027-03-08', '2027-03-22', '2027-04-05'][k]!)),
        );
        const bookings = Array.from(
          { length: 15 },
          (_, k) => () => a.book(patientId, episodeId, nyMorning(dayOfMarch(1 + ((k * 7 + round) % 31)))),
        );
        const jobs = [...completions, ...bookings].sort(() => Math.random() - 0.5);
        const results = await Promise.all(jobs.map((job) => job()));
        expect(results.filter((r) => ![200, 201, 422].includes(r.status)).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
        for (const r of results.filter((x) => x.status === 422)) {
          expect(['R2_INJECTION_INTERVAL']).toContain(r.body.violations[0].rule);
        }
        const gap = await closestPair(patientId);
        expect(gap === null || gap >= 14, `closest counted pair ${gap} days`).toBe(true);
      }
    } finally {
      t.setNow(undefined);
    }
  });
});

describe('simultaneous episode changes', () => {
  it('two episodes opened at once: one 201, one 409', async () => {
    const p = await a.patient();
    const body = { region: 'lumbar', diagnosis: 'L5 radiculopathy', conservativeCareStartedOn: '2027-01-04', severity: 'severe' };
    const results = await Promise.all(Array.from({ length: 5 }, () => a.call('POST', `/v1/patients/${p.id}/episodes`, body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('EPISODE.ALREADY_OPEN');
  });

  it('closing while a future booking arrives never leaves a scheduled injection on the closed episode', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const [close, book] = await Promise.all([
      a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'resolved' }),
      a.book(patientId, episodeId, nyMorning('2099-01-05')),
    ]);
    expect(close.status).toBe(200);
    expect([201, 422]).toContain(book.status);
    if (book.status === 201) expect(close.body.cancelledInjectionIds).toEqual([book.body.id]);
    else expect(book.body.violations[0].rule).toBe('R3_EPISODE');
    expect((await a.history(patientId)).filter((r) => r.status === 'scheduled')).toEqual([]);
  });

  it('an edit racing a close either lands before it or is refused as closed', async () => {
    // Repeated: the interleaving differs run to run, and any one bad order is a failure.
    for (let i = 0; i < 20; i++) {
      const { episodeId } = await a.patientWithEpisode();
      const [close, patch] = await Promise.all([
        a.call('POST', `/v1/episodes/${episodeId}/close`, { reason: 'resolved' }),
        a.call('PATCH', `/v1/episodes/${episodeId}`, { severity: 'severe' }),
      ]);
      expect(close.status).toBe(200);
      if (patch.status === 200) {
        expect(patch.body.status).toBe('open');
        expect(close.body.severity).toBe('severe');
      } else {
        expect(patch.body.code).toBe('EPISODE.CLOSED');
        expect(close.body.severity).toBe('moderate');
      }
    }
  });
});

describe('when the database constraint catches the conflict', () => {
  /** Waits until a session of this test database is blocked on a lock (the app's INSERT/UPDATE). */
  async function blockedSessions(): Promise<number> {
    const r = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return r.rows[0]!.n;
  }
  async function untilBlocked() {
    for (let i = 0; i < 500 && (await blockedSessions()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await blockedSessions()).toBeGreaterThan(0);
  }

  /** Another writer (say, a second instance) inserts a row the app's code check cannot see yet:
   * uncommitted, and without the patient lock (foreign-key triggers off), so only the exclusion
   * constraint stands between the two. */
  async function withHiddenRow<T>(patientId: string, episodeId: string, localDate: string, act: () => Promise<T>): Promise<T> {
    const other = new pg.Client({ connectionString: t.testDb.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SET LOCAL session_replication_role = replica`);
      await other.query(
        `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, ($3::date + time '14:00') AT TIME ZONE 'UTC', $3::date, '{}', 'caudal', 'midline', 'scheduled', now())`,
        [patientId, episodeId, localDate],
      );
      const pending = act();
      await untilBlocked();
      await other.query('COMMIT');
      return await pending;
    } finally {
      await other.end();
    }
  }

  it('answers a booking with the R2 422 and an earliest date that books', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const r = await withHiddenRow(patientId, episodeId, '2027-08-04', () => a.book(patientId, episodeId, nyMorning('2027-08-02')));
    const body = expectViolation(r, 'R2_INJECTION_INTERVAL', '2027-08-18');
    expect(body.code).toBe('INJECTION.INTERVAL_TOO_SHORT');
    expect(body.violations[0].message).toContain('2027-08-04');
    expect((await a.book(patientId, episodeId, nyMorning('2027-08-18'))).status).toBe(201);
  });

  it('answers a reschedule the same way and leaves the injection where it was', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const inj = await a.booked(patientId, episodeId, '2027-09-01');
    const r = await withHiddenRow(patientId, episodeId, '2027-09-30', () => a.reschedule(inj.id, nyMorning('2027-09-25')));
    expectViolation(r, 'R2_INJECTION_INTERVAL', '2027-10-14');
    expect((await a.history(patientId)).find((i) => i.id === inj.id)?.localDate).toBe('2027-09-01');
  });

  it('answers a completion on another date the same way and leaves it scheduled on its booked date', async () => {
    t.setNow('2027-12-01T17:00:00Z');
    try {
      const { patientId, episodeId } = await a.exemptPatient();
      const inj = await a.booked(patientId, episodeId, '2027-10-04');
      const r = await withHiddenRow(patientId, episodeId, '2027-10-20', () => a.complete(inj.id, nyMorning('2027-10-12')));
      expectViolation(r, 'R2_INJECTION_INTERVAL', '2027-11-03');
      expect((await a.history(patientId)).find((i) => i.id === inj.id)).toMatchObject({ status: 'scheduled', localDate: '2027-10-04' });
    } finally {
      t.setNow(undefined);
    }
  });
});
