// Payer coverage at eligibility and booking (SPEC §5): the verdict and earliestCoveredDate on the
// eligibility answer, the 201 booking answer carrying the same verdict, stored and audited with the
// booking, the nightly report listing the day's bookings with issues, and versioning: a new version of
// a policy never changes how an earlier booking was judged. "Today" is 2027-06-15 in the clinic.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { createDatabase } from '../../../src/db/prisma.ts';
import { auth, createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { api, nyMorning } from '../scheduling/support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
let sql: pg.Client;
const dirs: string[] = [];

const CLINIC_ONLY = { id: 'clinic-only', version: 1, name: 'Clinic only', effectiveFrom: '2000-01-01', source: 'clinic', checks: [] };
const ACME_V1 = {
  id: 'acme',
  version: 1,
  name: 'Acme (test)',
  effectiveFrom: '2027-01-01',
  source: 'https://example.org/acme',
  checks: [
    { code: 'C_CONSERVATIVE_DAYS', days: 28 },
    { code: 'C_MIN_INTERVAL_DAYS', days: 30 },
  ],
};
const ACME_V2 = { ...ACME_V1, version: 2, effectiveFrom: '2027-09-01', checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 60 }] };

function policyDir(files: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'policies-'));
  dirs.push(dir);
  for (const p of [CLINIC_ONLY, ...files] as { id: string; version: number }[]) {
    writeFileSync(join(dir, `${p.id}.v${p.version}.json`), JSON.stringify(p));
  }
  return dir;
}

beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-15T16:00:00Z', policiesDir: policyDir([ACME_V1]) });
  a = api(t);
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A patient under `policyId` with an open lumbar episode whose care started 2027-01-04. */
async function covered(policyId: string, episode: Record<string, unknown> = {}) {
  const p = await a.patient({ coverage: { payer: 'Acme Health', policyId } });
  const e = await a.episode(p.id, episode);
  // R5: more than two injections in the episode need a consultation; these tests are about the payer.
  const c = await a.call('POST', `/v1/episodes/${e.id}/consultations`, { allowInjections: 12, note: 'Series planned' });
  expect(c.status).toBe(201);
  return { patientId: p.id, episodeId: e.id };
}
const eligibility = async (patientId: string, on: string) => (await a.call('GET', `/v1/patients/${patientId}/eligibility?on=${on}`)).body;

describe('eligibility', () => {
  it('adds the payer verdict and the earliest covered date beside R1–R5', async () => {
    // Severe: exempt from R1, so eligible at once; the payer still wants 28 days of conservative care.
    const { patientId } = await covered('acme', { severity: 'severe' });
    const r = await eligibility(patientId, '2027-01-20');
    expect(r).toMatchObject({ eligible: true, earliestEligibleDate: '2027-01-20', earliestCoveredDate: '2027-02-01' });
    expect(r.coverage).toEqual({
      policyId: 'acme',
      version: 1,
      covered: false,
      issues: [{ check: 'C_CONSERVATIVE_DAYS', message: expect.stringContaining('28 days'), until: '2027-02-01' }],
    });
    expect((await eligibility(patientId, '2027-02-01')).coverage).toMatchObject({ covered: true, issues: [] });
  });

  it('finds the earliest covered date in a gap between bookings, later than the earliest eligible one', async () => {
    const { patientId, episodeId } = await covered('acme', { severity: 'severe' });
    await a.booked(patientId, episodeId, '2027-03-01');
    await a.booked(patientId, episodeId, '2027-05-10');
    const r = await eligibility(patientId, '2027-03-05');
    // R2 allows 2027-03-15; the payer's 30 days allow 2027-03-31, which is 40 days before the next.
    expect(r).toMatchObject({ eligible: false, earliestEligibleDate: '2027-03-15', earliestCoveredDate: '2027-03-31' });
    expect(r.coverage.issues.map((i: { check: string }) => i.check)).toEqual(['C_MIN_INTERVAL_DAYS']);
  });

  it('is always covered under clinic-only, and null without an open episode', async () => {
    const { patientId } = await a.patientWithEpisode();
    const r = await eligibility(patientId, '2027-03-01');
    expect(r.coverage).toEqual({ policyId: 'clinic-only', version: 1, covered: true, issues: [] });
    expect(r.earliestCoveredDate).toBe(r.earliestEligibleDate);
    const bare = await a.patient({ coverage: { payer: 'Acme Health', policyId: 'acme' } });
    expect(await eligibility(bare.id, '2027-03-01')).toMatchObject({ coverage: null, earliestCoveredDate: null });
  });
});

describe('booking', () => {
  it('answers 201 with the verdict, never blocks, stores it with the policy version and audits it', async () => {
    const { patientId, episodeId } = await covered('acme', { severity: 'severe' });
    const r = await a.book(patientId, episodeId, nyMorning('2027-01-20'));
    expect(r.status).toBe(201);
    expect(r.body.coverage).toEqual({
      policyId: 'acme',
      version: 1,
      covered: false,
      issues: [{ check: 'C_CONSERVATIVE_DAYS', message: expect.any(String), until: '2027-02-01' }],
    });
    const { rows } = await sql.query('SELECT "coveragePolicyId", "coveragePolicyVersion", "coverageIssues" FROM injections WHERE id = $1', [
      r.body.id,
    ]);
    expect(rows[0]).toEqual({ coveragePolicyId: 'acme', coveragePolicyVersion: 1, coverageIssues: r.body.coverage.issues });
    const events = (await a.call('GET', `/v1/audit-events?patientId=${patientId}`)).body.items as Record<string, any>[];
    // One event records the booking and the verdict it was given.
    const booked = events.filter((e) => e.entityId === r.body.id);
    expect(booked.map((e) => e.action)).toEqual(['injection.book']);
    expect(booked[0]?.after.coverage).toEqual(r.body.coverage);
    // A covered booking says so.
    const ok = await a.book(patientId, episodeId, nyMorning('2027-03-01'));
    expect(ok.body.coverage).toEqual({ policyId: 'acme', version: 1, covered: true, issues: [] });
  });

  it('replays the verdict for a retried booking with the same Idempotency-Key', async () => {
    const { patientId, episodeId } = await covered('acme', { severity: 'severe' });
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/injections',
        headers: { ...auth(), 'idempotency-key': `cov-${patientId}` },
        payload: { patientId, episodeId, scheduledAt: nyMorning('2027-01-25'), level: 'L4-L5', approach: 'transforaminal', side: 'left' },
      });
    const first = await send();
    const again = await send();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().coverage).toEqual(first.json().coverage);
    expect(first.json().coverage.covered).toBe(false);
  });
});

describe('the nightly report', () => {
  it("lists the day's bookings with coverage issues, as judged at booking (JSON and CSV)", async () => {
    const { patientId, episodeId } = await covered('acme', { severity: 'severe' });
    const flagged = await a.book(patientId, episodeId, nyMorning('2027-01-22'));
    const ok = await a.book(patientId, episodeId, nyMorning('2027-08-02'));
    const lateEvening = await a.book(patientId, episodeId, nyMorning('2027-03-01'));
    expect([flagged.body.coverage.covered, ok.body.coverage.covered]).toEqual([false, true]);
    // A booking is stamped with the real time: place these on the clinic's 2027-07-20 (EDT), one a
    // millisecond before it starts.
    await sql.query('UPDATE injections SET "createdAt" = $2 WHERE id = ANY($1::uuid[])', [
      [flagged.body.id, ok.body.id],
      '2027-07-20T04:00:00Z',
    ]);
    await sql.query('UPDATE injections SET "createdAt" = $2, "coverageIssues" = $3 WHERE id = $1', [
      lateEvening.body.id,
      '2027-07-20T03:59:59.999Z',
      JSON.stringify(flagged.body.coverage.issues),
    ]);
    const report = (await a.call('GET', '/v1/reports/daily?date=2027-07-20')).body;
    expect(report.coverageIssues).toEqual([
      {
        injectionId: flagged.body.id,
        mrn: expect.any(String),
        bookedAt: '2027-07-20T04:00:00.000Z',
        bookedByName: expect.any(String),
        localDate: '2027-01-22',
        status: 'scheduled',
        policyId: 'acme',
        policyVersion: 1,
        checks: ['C_CONSERVATIVE_DAYS'],
        issues: flagged.body.coverage.issues,
      },
    ]);
    const dayBefore = (await a.call('GET', '/v1/reports/daily?date=2027-07-19')).body;
    expect(dayBefore.coverageIssues.map((i: { injectionId: string }) => i.injectionId)).toEqual([lateEvening.body.id]);
    const csv = await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-07-20', headers: { ...auth(), accept: 'text/csv' } });
    const records: string[][] = parse(csv.body, { relax_column_count: true, skip_empty_lines: true });
    const at = records.findIndex((r) => r[0] === 'section' && r[1] === 'coverageIssues');
    const header = records[at + 1]!;
    expect(records.slice(at + 2).map((r) => r[0])).toEqual([flagged.body.id]);
    const row = records[at + 2]!;
    expect(row[header.indexOf('checks')]).toBe('C_CONSERVATIVE_DAYS');
    expect(row[header.indexOf('policyVersion')]).toBe('1');
    expect(row[header.indexOf('issues')]).toContain('C_CONSERVATIVE_DAYS');
  });
});

describe('a new version of a policy', () => {
  it('never changes how earlier bookings were judged; new bookings use the version in effect on their date', async () => {
    const { patientId, episodeId } = await covered('acme', { severity: 'severe' });
    const early = await a.book(patientId, episodeId, nyMorning('2027-01-20'));
    expect(early.body.coverage).toMatchObject({ version: 1, covered: false });
    await sql.query('UPDATE injections SET "createdAt" = $2 WHERE id = $1', [early.body.id, '2027-06-15T16:00:00Z']);

    // The clinic installs version 2 (from 2027-09-01: 60 days apart, no conservative-care minimum) and restarts.
    const db = createDatabase({ url: t.testDb.url, poolSize: 4 });
    const app = await buildApp({
      config: { ...t.config, policiesDir: policyDir([ACME_V1, ACME_V2]) },
      db,
      clock: () => new Date('2027-06-15T16:00:00Z'),
      serveDashboard: false,
    });
    try {
      const v2 = factories(app);
      const stored = await sql.query('SELECT "coveragePolicyVersion", "coverageIssues" FROM injections WHERE id = $1', [early.body.id]);
      expect(stored.rows[0]).toEqual({ coveragePolicyVersion: 1, coverageIssues: early.body.coverage.issues });
      const report = (await v2.call('GET', '/v1/reports/daily?date=2027-06-15')).body;
      expect(report.coverageIssues.find((i: { injectionId: string }) => i.injectionId === early.body.id)).toMatchObject({
        policyVersion: 1,
        issues: early.body.coverage.issues,
      });
      // Before 2027-09-01 version 1 still judges (30 days); from then on version 2 (60 days).
      const before = await v2.book(patientId, episodeId, nyMorning('2027-03-01'));
      expect(before.body.coverage).toEqual({ policyId: 'acme', version: 1, covered: true, issues: [] });
      const after = await v2.book(patientId, episodeId, nyMorning('2027-09-15'));
      expect(after.body.coverage).toEqual({ policyId: 'acme', version: 2, covered: true, issues: [] });
      const close = await v2.book(patientId, episodeId, nyMorning('2027-10-15'));
      expect(close.body.coverage).toMatchObject({
        version: 2,
        covered: false,
        issues: [{ check: 'C_MIN_INTERVAL_DAYS', until: '2027-11-14' }],
      });
      const policies = (await v2.call('GET', '/v1/policies')).body.items as { id: string; version: number; inEffect: boolean }[];
      expect(policies.filter((p) => p.id === 'acme').map((p) => [p.version, p.inEffect])).toEqual([
        [2, false],
        [1, true],
      ]);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
