// The report computes clinical flags in SQL over the whole clinic; flags.rules.ts computes them for
// one patient in TypeScript. On a few hundred random patients both must name the same patients, flags
// and details, for several report dates.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicalFlags, type FlagInjection, type Region } from '../../../src/modules/injections/flags.rules.ts';
import type { InjectionStatus, NeurologicalSign, Severity } from '../../../src/modules/injections/injection.rules.ts';
import { flaggedPatients } from '../../../src/modules/reports/report-flags.queries.ts';
import { addDaysIso } from '../../../src/modules/reports/report-schedule.rules.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { uid } from './fixture.ts';

function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ep {
  id: string;
  region: Region;
  status: 'open' | 'closed';
  severity: Severity;
  signs: NeurologicalSign[];
  started: string;
}
interface Patient {
  id: string;
  mrn: string;
  episodes: Ep[];
  injections: FlagInjection[];
}

function randomClinic(n: number, rand: () => number): Patient[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const patients: Patient[] = [];
  let next = 1;
  for (let p = 0; p < n; p++) {
    const episodes: Ep[] = [];
    const injections: FlagInjection[] = [];
    const count = 1 + Math.floor(rand() * 3);
    let date = addDaysIso('2025-06-01', Math.floor(rand() * 300));
    for (let k = 0; k < count; k++) {
      const signs = (['numbness', 'weakness', 'reflex_loss', 'bowel_bladder', 'saddle_anesthesia'] as const).filter(() => rand() < 0.15);
      const ep: Ep = {
        id: uid(0x100000 + next++),
        region: pick(['lumbar', 'cervical', 'thoracic'] as const),
        status: k === count - 1 && rand() < 0.8 ? 'open' : 'closed',
        severity: pick(['mild', 'moderate', 'severe'] as const),
        signs,
        started: date,
      };
      episodes.push(ep);
      const shots = Math.floor(rand() * 6);
      for (let j = 0; j < shots; j++) {
        date = addDaysIso(date, 14 + Math.floor(rand() * 90)); // counted ones at least 14 days apart
        const status: InjectionStatus = pick(['completed', 'completed', 'completed', 'scheduled', 'cancelled', 'no_show']);
        const assessed = status === 'completed' && rand() < 0.8;
        injections.push({
          id: uid(0x200000 + next++),
          episodeId: ep.id,
          region: ep.region,
          localDate: date,
          status,
          percentImprovement: assessed ? pick([0, 20, 45, 49, 50, 51, 70, 99, 100]) : null,
          // Assessed the same day up to a month later: under 7 days the outcome does not count.
          assessedOn: assessed ? addDaysIso(date, pick([0, 3, 6, 7, 8, 14, 30, 30])) : null,
        });
        if (rand() < 0.2)
          injections.push({
            id: uid(0x200000 + next++),
            episodeId: ep.id,
            region: ep.region,
            localDate: addDaysIso(date, 3),
            status: 'cancelled',
            percentImprovement: null,
            assessedOn: null,
          });
      }
      date = addDaysIso(date, 20);
    }
    patients.push({ id: uid(0x300000 + p), mrn: `RND-${String(p).padStart(4, '0')}`, episodes, injections });
  }
  return patients;
}

let t: TestApp;
let sql: pg.Client;
let patients: Patient[];
beforeAll(async () => {
  t = await createTestApp();
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
  patients = randomClinic(300, prng(20270314));
  for (const p of patients) {
    await sql.query(`INSERT INTO patients (id, mrn, "givenName", "familyName", "birthDate") VALUES ($1, $2, 'R', 'P', '1970-01-01')`, [
      p.id,
      p.mrn,
    ]);
    for (const e of p.episodes) {
      await sql.query(
        `INSERT INTO episodes (id, "patientId", region, diagnosis, "conservativeCareStartedOn", therapies, severity, "neurologicalSigns", status)
         VALUES ($1, $2, $3, 'random', $4, '{}', $5, $6::"NeurologicalSign"[], $7)`,
        [e.id, p.id, e.region, e.started, e.severity, e.signs, e.status],
      );
    }
    for (const i of p.injections) {
      await sql.query(
        `INSERT INTO injections (id, "patientId", "episodeId", "scheduledAt", "localDate", levels, approach, side, status, "percentImprovement",
                                 "painBefore", "painAfter", "assessedOn")
         VALUES ($1, $2, $3, $4::date + time '15:00', $4::date, '{}', 'caudal', 'midline', $5, $6,
                 CASE WHEN $7::date IS NOT NULL THEN 8 END, CASE WHEN $7::date IS NOT NULL THEN 4 END, $7::date)`,
        [i.id, p.id, i.episodeId, i.localDate, i.status, i.percentImprovement, i.assessedOn],
      );
    }
  }
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

describe('clinical flags in the report', () => {
  it.each(['2025-12-01', '2026-06-15', '2027-03-14'])('agree with flags.rules.ts as of %s', async (today) => {
    const fromSql = await flaggedPatients(sql, today);
    const expected: string[] = [];
    for (const p of patients) {
      const open = p.episodes.find((e) => e.status === 'open');
      const flags = clinicalFlags({
        openEpisode: open
          ? {
              id: open.id,
              patientId: p.id,
              status: 'open',
              conservativeCareStartedOn: open.started,
              severity: open.severity,
              neurologicalSigns: open.signs,
              clearedRedFlags: [],
              allowInjections: null,
              region: open.region,
            }
          : null,
        injections: p.injections,
        today,
      });
      // Advice for the next visit, and bookings the integrity section names, are not report flags.
      for (const f of flags)
        if (f.flag !== 'SECOND_INJECTION_SUGGESTED' && f.flag !== 'BOOKED_NOW_INELIGIBLE') expected.push(`${p.mrn} ${f.flag}`);
      // Where both give the evidence, it is the same evidence.
      for (const row of fromSql.filter((r) => r.mrn === p.mrn && (r.flag === 'ANNUAL_LIMIT' || r.flag === 'SURGICAL_REVIEW'))) {
        expect(flags.find((f) => f.flag === row.flag)?.message, `${p.mrn} ${row.flag}`).toContain(row.detail);
      }
    }
    expect(fromSql.map((r) => `${r.mrn} ${r.flag}`).sort()).toEqual(expected.sort());
    // The random clinic exercises every flag.
    expect(new Set(fromSql.map((r) => r.flag)).size).toBe(4);
  });
});
