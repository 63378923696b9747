// A small clinic in America/New_York whose report for 2027-03-14 (spring forward: a 23-hour day) and
// 2027-11-07 (fall back: 25 hours) is known line by line. Every row carries its audit events, so the
// integrity section must come back empty.
import type pg from 'pg';
import { fixtureSql, uid } from './fixture.ts';

export const P = {
  A: uid(0x101),
  B: uid(0x102),
  C: uid(0x103),
  D: uid(0x104),
  E: uid(0x105),
  F: uid(0x106),
  G: uid(0x107),
  H: uid(0x108),
  I: uid(0x109),
  J: uid(0x10a),
  K: uid(0x10b),
  L: uid(0x10c),
};
export const E = {
  A: uid(0x201),
  B: uid(0x202),
  C: uid(0x203),
  D: uid(0x204),
  E: uid(0x205),
  F: uid(0x206),
  G: uid(0x207),
  H: uid(0x208),
  I: uid(0x209),
  J1: uid(0x20a),
  J2: uid(0x20b),
  K: uid(0x20c),
  L: uid(0x20d),
};
export const I = {
  A0: uid(0x300),
  A1: uid(0x301),
  B: uid(0x302),
  C: uid(0x303),
  D: uid(0x304),
  E: uid(0x305),
  F: uid(0x306),
  G: uid(0x307),
  H: uid(0x308),
  I1: uid(0x309),
  I2: uid(0x30a),
  J1: uid(0x30b),
  J2: uid(0x30c),
  J3: uid(0x30d),
  J4: uid(0x30e),
  K: uid(0x30f),
  L: uid(0x310),
};
export const FORMULA_REASON = '=HYPERLINK("http://example.invalid","rebook")';

export async function buildClinic(sql: pg.Client): Promise<void> {
  const f = fixtureSql(sql);
  const mrn = (k: string) => `MRN-${k}`;
  for (const [k, id] of Object.entries(P)) await f.patient(id, mrn(k), '2026-09-01T14:00:00Z');

  // A: second injection of the episode today, no exemption needed (day 69).
  await f.episode({ id: E.A, patientId: P.A, started: '2027-01-04', at: '2027-01-04T15:00:00Z' });
  await f.injection({
    id: I.A0,
    patientId: P.A,
    episodeId: E.A,
    scheduledAt: '2027-02-15T15:00:00Z',
    localDate: '2027-02-15',
    bookedAt: '2027-02-01T15:00:00Z',
    status: 'completed',
    improvement: 60,
    assessedOn: '2027-03-01',
  });
  await f.injection({
    id: I.A1,
    patientId: P.A,
    episodeId: E.A,
    scheduledAt: '2027-03-14T13:00:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-02-20T15:00:00Z',
    status: 'completed',
  });

  // B: exemption (severe + weakness) recorded 14:10 EST the day before, booked 16:45 EST the same afternoon.
  await f.episode({ id: E.B, patientId: P.B, started: '2027-03-01', at: '2027-03-01T14:00:00Z', severity: 'mild' });
  await f.updateEpisode(E.B, P.B, '2027-03-13T19:10:00Z', { severity: 'mild', signs: [] }, { severity: 'severe', signs: ['weakness'] });
  await f.injection({
    id: I.B,
    patientId: P.B,
    episodeId: E.B,
    scheduledAt: '2027-03-14T15:30:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-03-13T21:45:00Z',
  });

  // C: created severe; booked eight days and an hour later: not flagged.
  await f.episode({ id: E.C, patientId: P.C, started: '2027-03-01', at: '2027-03-01T15:00:00Z', severity: 'severe' });
  await f.injection({
    id: I.C,
    patientId: P.C,
    episodeId: E.C,
    scheduledAt: '2027-03-14T18:00:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-03-09T16:00:00Z',
    status: 'completed',
  });

  // D: numbness recorded 15:00 EST on the 13th, booked 15:30 EDT on the 14th: 24.5 h on the wall clock,
  // 23.5 h of real time across the spring-forward gap, so flagged. Tingling added after the booking
  // moves the episode's stamp, not the exemption the booking relied on.
  await f.episode({ id: E.D, patientId: P.D, started: '2027-03-10', at: '2027-03-10T15:00:00Z' });
  await f.updateEpisode(
    E.D,
    P.D,
    '2027-03-13T20:00:00Z',
    { severity: 'moderate', signs: [] },
    { severity: 'moderate', signs: ['numbness'] },
  );
  await f.injection({
    id: I.D,
    patientId: P.D,
    episodeId: E.D,
    scheduledAt: '2027-03-14T20:00:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-03-14T19:30:00Z',
    status: 'completed',
  });
  await f.updateEpisode(
    E.D,
    P.D,
    '2027-03-14T21:00:00Z',
    { severity: 'moderate', signs: ['numbness'] },
    { severity: 'moderate', signs: ['numbness', 'tingling'] },
  );

  // E: cancelled with a reason a spreadsheet would run as a formula; F: a no-show at 01:30 EST, before the gap.
  await f.episode({ id: E.E, patientId: P.E, started: '2027-01-04', at: '2027-01-04T16:00:00Z' });
  await f.injection({
    id: I.E,
    patientId: P.E,
    episodeId: E.E,
    scheduledAt: '2027-03-14T14:00:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-02-22T15:00:00Z',
    status: 'cancelled',
    cancelReason: FORMULA_REASON,
    changedAt: '2027-03-13T20:00:00Z',
  });
  await f.episode({ id: E.F, patientId: P.F, started: '2027-01-04', at: '2027-01-04T16:30:00Z' });
  await f.injection({
    id: I.F,
    patientId: P.F,
    episodeId: E.F,
    scheduledAt: '2027-03-14T06:30:00Z',
    localDate: '2027-03-14',
    bookedAt: '2027-02-23T15:00:00Z',
    status: 'no_show',
    changedAt: '2027-03-14T17:00:00Z',
  });

  // G: completed exactly 14 days before the report date without an outcome (listed); H: 13 days (not yet).
  await f.episode({ id: E.G, patientId: P.G, started: '2026-10-01', at: '2026-10-01T15:00:00Z' });
  await f.injection({
    id: I.G,
    patientId: P.G,
    episodeId: E.G,
    scheduledAt: '2027-02-28T15:00:00Z',
    localDate: '2027-02-28',
    bookedAt: '2027-02-10T15:00:00Z',
    status: 'completed',
  });
  await f.episode({ id: E.H, patientId: P.H, started: '2026-10-01', at: '2026-10-01T15:10:00Z' });
  await f.injection({
    id: I.H,
    patientId: P.H,
    episodeId: E.H,
    scheduledAt: '2027-03-01T15:00:00Z',
    localDate: '2027-03-01',
    bookedAt: '2027-02-10T15:10:00Z',
    status: 'completed',
  });

  // I: two assessed injections under 50%: SURGICAL_REVIEW and ADDITIONAL_INJECTION_CONSULT.
  await f.episode({ id: E.I, patientId: P.I, started: '2026-10-01', at: '2026-10-01T15:20:00Z' });
  await f.injection({
    id: I.I1,
    patientId: P.I,
    episodeId: E.I,
    scheduledAt: '2026-12-01T15:00:00Z',
    localDate: '2026-12-01',
    bookedAt: '2026-11-20T15:00:00Z',
    status: 'completed',
    improvement: 20,
    assessedOn: '2026-12-15',
  });
  await f.injection({
    id: I.I2,
    patientId: P.I,
    episodeId: E.I,
    scheduledAt: '2027-01-05T15:00:00Z',
    localDate: '2027-01-05',
    bookedAt: '2026-12-20T15:00:00Z',
    status: 'completed',
    improvement: 30,
    assessedOn: '2027-01-19',
  });

  // J: four lumbar injections within a year across a closed and an open episode: ANNUAL_LIMIT.
  await f.episode({ id: E.J1, patientId: P.J, started: '2026-02-01', at: '2026-02-01T15:00:00Z', closedAt: '2026-07-01T16:00:00Z' });
  await f.injection({
    id: I.J1,
    patientId: P.J,
    episodeId: E.J1,
    scheduledAt: '2026-04-01T14:00:00Z',
    localDate: '2026-04-01',
    bookedAt: '2026-03-20T15:00:00Z',
    status: 'completed',
    improvement: 55,
    assessedOn: '2026-04-15',
  });
  await f.injection({
    id: I.J2,
    patientId: P.J,
    episodeId: E.J1,
    scheduledAt: '2026-06-01T14:00:00Z',
    localDate: '2026-06-01',
    bookedAt: '2026-05-20T15:00:00Z',
    status: 'completed',
    improvement: 65,
    assessedOn: '2026-06-15',
  });
  await f.episode({ id: E.J2, patientId: P.J, started: '2026-07-15', at: '2026-07-15T15:00:00Z' });
  await f.injection({
    id: I.J3,
    patientId: P.J,
    episodeId: E.J2,
    scheduledAt: '2026-09-01T14:00:00Z',
    localDate: '2026-09-01',
    bookedAt: '2026-08-20T15:00:00Z',
    status: 'completed',
    improvement: 60,
    assessedOn: '2026-09-15',
  });
  await f.injection({
    id: I.J4,
    patientId: P.J,
    episodeId: E.J2,
    scheduledAt: '2027-01-10T15:00:00Z',
    localDate: '2027-01-10',
    bookedAt: '2026-12-28T15:00:00Z',
    status: 'completed',
    improvement: 70,
    assessedOn: '2027-01-24',
  });

  // K and L: 01:30 twice on the fall-back night of 2027-11-07 (EDT, then EST).
  await f.episode({ id: E.K, patientId: P.K, started: '2027-06-01', at: '2027-06-01T15:00:00Z' });
  await f.injection({
    id: I.K,
    patientId: P.K,
    episodeId: E.K,
    scheduledAt: '2027-11-07T05:30:00Z',
    localDate: '2027-11-07',
    bookedAt: '2027-10-20T15:00:00Z',
  });
  await f.episode({ id: E.L, patientId: P.L, started: '2027-06-01', at: '2027-06-01T15:10:00Z' });
  await f.injection({
    id: I.L,
    patientId: P.L,
    episodeId: E.L,
    scheduledAt: '2027-11-07T06:30:00Z',
    localDate: '2027-11-07',
    bookedAt: '2027-10-20T15:10:00Z',
  });
}
