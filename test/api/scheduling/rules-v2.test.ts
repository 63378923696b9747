// Clinical rules v2 through the public API, one block per finding of the clinical review:
// the date given is the date judged (completion), red flags (R4), consultations (R5), anatomy,
// outcomes, withdrawn exemptions, and a date before conservative care began.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, auth, createTestApp, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectViolation, nyMorning } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
let sql: pg.Client;
beforeAll(async () => {
  // "Now" is late 2027, so every date these tests complete or assess lies in the past.
  t = await createTestApp({ now: '2027-12-01T17:00:00Z' });
  a = api(t);
  sql = new pg.Client({ connectionString: t.testDb.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

const patientDetail = async (id: string) => (await a.call('GET', `/v1/patients/${id}`)).body;
const countInjections = async (patientId: string) =>
  (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId])).rows[0]?.n;
const clear = (episodeId: string, reason = 'MRI reviewed; no compression') =>
  a.call('POST', `/v1/episodes/${episodeId}/red-flag-clearance`, { reason });

describe('the date given is the date judged (finding 1)', () => {
  it('a completion on another date moves the injection there, and the next booking is judged from it', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const booked = await a.booked(patientId, episodeId, '2027-03-01');
    const done = await a.complete(booked.id, nyMorning('2027-03-12', '10:30'));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', localDate: '2027-03-12', scheduledAt: '2027-03-01T14:00:00.000Z' });

    // Four days after the injection actually given: refused, with the date that clears it.
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-16')), 'R2_INJECTION_INTERVAL', '2027-03-26');
    expect((await a.book(patientId, episodeId, nyMorning('2027-03-26'))).status).toBe(201);

    // Every reader agrees on the date given: the record, the patient header and the history.
    expect((await patientDetail(patientId)).lastInjection).toMatchObject({ id: booked.id, localDate: '2027-03-12' });
    const history = await a.history(patientId);
    expect(history.map((h) => [h.localDate, h.daysSincePrevious])).toEqual([
      ['2027-03-12', null],
      ['2027-03-26', 14],
    ]);
  });

  it('refuses a completion whose date breaks R2 and leaves the injection scheduled on its booked date', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const first = await a.booked(patientId, episodeId, '2027-04-05');
    const second = await a.booked(patientId, episodeId, '2027-04-19');
    // Given 10 days after the first, 4 before the second: both conflicts named, nothing changes.
    const refused = expectViolation(await a.complete(second.id, nyMorning('2027-04-15')), 'R2_INJECTION_INTERVAL', '2027-04-19');
    expect(refused.violations[0].message).toContain('2027-04-05');
    expect((await a.history(patientId)).map((h) => [h.id, h.status, h.localDate])).toEqual([
      [first.id, 'scheduled', '2027-04-05'],
      [second.id, 'scheduled', '2027-04-19'],
    ]);
    // The refusal is audited as an attempt.
    const { rows } = await sql.query(`SELECT after FROM audit_events WHERE action = 'injection.complete.refused' AND "entityId" = $1`, [
      second.id,
    ]);
    expect(rows[0]?.after).toMatchObject({ attempted: { localDate: '2027-04-15' } });
  });

  it('re-judges R1 on the date given: a completion before the trial ends is refused', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode(); // trial ends 2027-02-15
    const booked = await a.booked(patientId, episodeId, '2027-02-16');
    expectViolation(await a.complete(booked.id, nyMorning('2027-02-10')), 'R1_CONSERVATIVE_TRIAL', '2027-02-15');
    expect((await a.complete(booked.id, nyMorning('2027-02-15'))).body).toMatchObject({ status: 'completed', localDate: '2027-02-15' });
  });

  it('a completion on the booked date is not re-judged', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    const booked = await a.booked(patientId, episodeId, '2027-05-03');
    // An uncleared red flag recorded since booking does not undo what was given that day.
    await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['bowel_bladder'] });
    expect((await a.complete(booked.id, nyMorning('2027-05-03', '16:00'))).status).toBe(200);
  });

  it('the exclusion constraint guards the date given: a raw update into a 13-day gap fails', async () => {
    const { patientId, episodeId } = await a.exemptPatient();
    await a.booked(patientId, episodeId, '2027-06-01');
    const later = await a.booked(patientId, episodeId, '2027-06-29');
    await expect(
      sql.query(`UPDATE injections SET status = 'completed', "localDate" = '2027-06-14' WHERE id = $1`, [later.id]),
    ).rejects.toMatchObject({ code: '23P01' });
  });
});

describe('R4 red flags (finding 2)', () => {
  it('an episode with bowel/bladder change started yesterday is not eligible, and is not exempt from R1 either', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({
      conservativeCareStartedOn: '2027-11-30',
      neurologicalSigns: ['bowel_bladder'],
    });
    const el = await a.eligibility(patientId, '2027-12-01');
    expect(el.body).toMatchObject({ eligible: false, earliestEligibleDate: null });
    expect(el.body.blockers).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'R4_RED_FLAG', until: null })]));
    expect(el.body.blockers[0].message).toContain('urgent surgical evaluation');
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-12-01')), 'R4_RED_FLAG', null);
    expect(await countInjections(patientId)).toBe(0);

    // A clearance lifts R4, but the red flag never stood in for the six-week trial.
    const c = await clear(episodeId);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ episodeId, patientId, redFlags: ['bowel_bladder'], recordedBy: { name: 'bootstrap-admin' } });
    const after = await a.eligibility(patientId, '2027-12-01');
    expect(after.body).toMatchObject({ eligible: false, earliestEligibleDate: '2028-01-11' });
    expect(after.body.blockers.map((b: { rule: string }) => b.rule)).toEqual(['R1_CONSERVATIVE_TRIAL']);
    expect((await a.book(patientId, episodeId, nyMorning('2028-01-11'))).status).toBe(201);
  });

  it('saddle anaesthesia added after a clearance blocks again until cleared again; removing a flag drops its clearance', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({ severity: 'severe', neurologicalSigns: ['bowel_bladder'] });
    await clear(episodeId);
    const booked = await a.booked(patientId, episodeId, '2027-03-01');

    const edit = await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['bowel_bladder', 'saddle_anesthesia'] });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({
      redFlags: ['bowel_bladder', 'saddle_anesthesia'],
      clearedRedFlags: ['bowel_bladder'],
      redFlagBlocked: true,
    });
    expect(edit.body.warnings).toEqual([expect.objectContaining({ code: 'R4_RED_FLAG', injectionId: booked.id, localDate: '2027-03-01' })]);
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-04-01')), 'R4_RED_FLAG', null);
    expectViolation(await a.reschedule(booked.id, nyMorning('2027-03-08')), 'R4_RED_FLAG', null);

    expect((await clear(episodeId, 'Seen by spine surgeon')).body.redFlags).toEqual(['bowel_bladder', 'saddle_anesthesia']);
    expect((await a.book(patientId, episodeId, nyMorning('2027-04-01'))).status).toBe(201);

    // Taken off and recorded again later: a new red flag, blocking until cleared again.
    await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['saddle_anesthesia'] });
    const back = await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['saddle_anesthesia', 'bowel_bladder'] });
    expect(back.body).toMatchObject({ clearedRedFlags: ['saddle_anesthesia'], redFlagBlocked: true });
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-05-01')), 'R4_RED_FLAG', null);
    // Both clearances are kept on the episode, in order.
    expect(back.body.redFlagClearances.map((c: { redFlags: string[] }) => c.redFlags)).toEqual([
      ['bowel_bladder'],
      ['bowel_bladder', 'saddle_anesthesia'],
    ]);
  });

  it('clearance: 409 without a red flag or on a closed episode, 403 for the front desk, 400 without a reason; audited', async () => {
    const plain = await a.exemptPatient();
    expectProblem(await clear(plain.episodeId), 409, 'EPISODE.NO_RED_FLAG');
    const flagged = await a.patientWithEpisode({ neurologicalSigns: ['saddle_anesthesia'] });
    const desk = await a.apiKey('front_desk');
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/episodes/${flagged.episodeId}/red-flag-clearance`,
      headers: auth(desk.key),
      payload: { reason: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expectProblem(await a.call('POST', `/v1/episodes/${flagged.episodeId}/red-flag-clearance`, { reason: '  ' }), 400);
    const ok = await clear(flagged.episodeId);
    const { rows } = await sql.query(
      `SELECT "actorName", before, after FROM audit_events WHERE action = 'episode.red_flag_clearance' AND "entityId" = $1`,
      [flagged.episodeId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.after.clearance.id).toBe(ok.body.id);
    expect(rows[0]?.before.redFlagBlocked).toBe(true);
    await a.call('POST', `/v1/episodes/${flagged.episodeId}/close`, { reason: 'referred' });
    expectProblem(await clear(flagged.episodeId), 409, 'EPISODE.CLOSED');
  });

  it('a red flag is an urgent surgical review on the patient', async () => {
    const { patientId } = await a.patientWithEpisode({ neurologicalSigns: ['saddle_anesthesia'] });
    const flags = (await patientDetail(patientId)).flags;
    expect(flags[0]).toMatchObject({ flag: 'URGENT_SURGICAL_REVIEW' });
    expect(flags[0].message).toContain('saddle anaesthesia');
  });
});

describe('R5 consultation (finding 3)', () => {
  it('a third injection needs a consultation that covers it; cancelled ones do not count', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({ severity: 'severe' }, { allowInjections: null });
    await a.booked(patientId, episodeId, '2027-03-01');
    const second = await a.booked(patientId, episodeId, '2027-03-15');
    const third = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-03-29')), 'R5_CONSULTATION', null);
    expect(third.violations[0].message).toContain('3rd injection');
    const el = await a.eligibility(patientId, '2027-03-29');
    expect(el.body).toMatchObject({ eligible: false, earliestEligibleDate: null, blockers: [{ rule: 'R5_CONSULTATION', until: null }] });

    // A cancelled one frees its place.
    await a.cancel(second.id);
    const freed = await a.book(patientId, episodeId, nyMorning('2027-03-29'));
    expect(freed.status, JSON.stringify(freed.body)).toBe(201);
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-04-12')), 'R5_CONSULTATION', null);

    const c = await a.call('POST', `/v1/episodes/${episodeId}/consultations`, {
      allowInjections: 3,
      note: 'Partial relief; one more at L5-S1',
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ episodeId, patientId, allowInjections: 3, recordedBy: { name: 'bootstrap-admin' } });
    expect((await a.book(patientId, episodeId, nyMorning('2027-04-12'))).status).toBe(201);
    // The fourth needs a consultation that covers four.
    const fourth = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-04-26')), 'R5_CONSULTATION', null);
    expect(fourth.violations[0].message).toContain('allows 3');
    await a.consult(episodeId, 4);
    expect((await a.book(patientId, episodeId, nyMorning('2027-04-26'))).status).toBe(201);

    // Listed on the episode, oldest first, with the allowance in force.
    const episode = (await patientDetail(patientId)).openEpisode;
    expect(episode.allowInjections).toBe(4);
    expect(episode.consultations.map((x: { allowInjections: number }) => x.allowInjections)).toEqual([3, 4]);
  });

  it('the latest consultation decides: a lower allowance refuses what the earlier one allowed', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({ severity: 'severe' }, { allowInjections: 6 });
    for (const d of ['2027-03-01', '2027-03-15', '2027-03-29']) await a.booked(patientId, episodeId, d);
    await a.consult(episodeId, 3, 'No further injections after the third');
    expectViolation(await a.book(patientId, episodeId, nyMorning('2027-04-12')), 'R5_CONSULTATION', null);
  });

  it.each([
    [{ allowInjections: 2, note: 'x' }, 'allowInjections'],
    [{ allowInjections: 13, note: 'x' }, 'allowInjections'],
    [{ allowInjections: 3.5, note: 'x' }, 'allowInjections'],
    [{ allowInjections: 3 }, 'note'],
  ])('refuses consultation %j with 400', async (body, path) => {
    const { episodeId } = await a.exemptPatient();
    const r = expectProblem(await a.call('POST', `/v1/episodes/${episodeId}/consultations`, body), 400);
    expect(JSON.stringify(r.errors)).toContain(path);
  });

  it('the front desk may not record a consultation', async () => {
    const { episodeId } = await a.exemptPatient();
    const desk = await a.apiKey('front_desk');
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/episodes/${episodeId}/consultations`,
      headers: auth(desk.key),
      payload: { allowInjections: 3, note: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('anatomy (finding 4)', () => {
  const book = (p: { patientId: string; episodeId: string }, anatomy: Record<string, unknown>) =>
    a.call('POST', '/v1/injections', { patientId: p.patientId, episodeId: p.episodeId, scheduledAt: nyMorning('2027-06-01'), ...anatomy });
  const paths = (r: { body: Record<string, any> }) => (r.body.errors as { path: string }[]).map((e) => e.path).sort();

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'C6-C7 caudal bilateral in a lumbar episode',
      { levels: ['C6-C7'], approach: 'caudal', side: 'bilateral' },
      ['body.levels', 'body.levels.0', 'body.side'],
    ],
    ['transforaminal midline', { levels: ['L4-L5'], approach: 'transforaminal', side: 'midline' }, ['body.side']],
    ['L5-L4 (tail first)', { levels: ['L5-L4'], approach: 'transforaminal', side: 'left' }, ['body.levels.0']],
    ['C2-S1 (not adjacent)', { levels: ['C2-S1'], approach: 'transforaminal', side: 'left' }, ['body.levels.0']],
    ['two levels that do not touch', { levels: ['L3-L4', 'L5-S1'], approach: 'transforaminal', side: 'right' }, ['body.levels']],
    ['three transforaminal levels', { levels: ['L3-L4', 'L4-L5', 'L5-S1'], approach: 'transforaminal', side: 'left' }, ['body.levels']],
    ['two interlaminar levels', { levels: ['L4-L5', 'L5-S1'], approach: 'interlaminar', side: 'midline' }, ['body.levels']],
    ['interlaminar bilateral', { levels: ['L4-L5'], approach: 'interlaminar', side: 'bilateral' }, ['body.side']],
    ['a cervical level in a lumbar episode', { level: 'C5-C6', approach: 'interlaminar', side: 'midline' }, ['body.levels.0']],
    ['no level for a transforaminal session', { approach: 'transforaminal', side: 'left' }, ['body.levels']],
    ['level and levels at once', { level: 'L4-L5', levels: ['L4-L5'], approach: 'interlaminar', side: 'midline' }, ['body.level']],
  ])('refuses %s with 400 INJECTION.ANATOMY naming the field, and stores nothing', async (_what, anatomy, expected) => {
    const p = await a.exemptPatient();
    const r = await book(p, anatomy);
    expectProblem(r, 400, 'INJECTION.ANATOMY');
    expect(paths(r)).toEqual(expected);
    expect(await countInjections(p.patientId)).toBe(0);
  });

  it('a caudal injection is lumbar only', async () => {
    const p = await a.patientWithEpisode({ severity: 'severe', region: 'cervical' });
    const r = await book(p, { approach: 'caudal', side: 'midline' });
    expectProblem(r, 400, 'INJECTION.ANATOMY');
    expect(paths(r)).toEqual(['body.approach']);
  });

  it('books a two-level transforaminal session, head to tail, and a caudal entry without levels', async () => {
    const p = await a.exemptPatient();
    const two = await book(p, { levels: ['L5-S1', 'L4-L5'], approach: 'transforaminal', side: 'bilateral' });
    expect(two.status, JSON.stringify(two.body)).toBe(201);
    expect(two.body).toMatchObject({ levels: ['L4-L5', 'L5-S1'], level: 'L4-L5' });
    const q = await a.exemptPatient();
    const caudal = await book(q, { approach: 'caudal', side: 'midline' });
    expect(caudal.body).toMatchObject({ levels: [], level: null, approach: 'caudal' });
    // The junctions belong to the region of their upper segment.
    const c = await a.patientWithEpisode({ severity: 'severe', region: 'cervical' });
    expect((await book(c, { levels: ['C6-C7', 'C7-T1'], approach: 'transforaminal', side: 'left' })).status).toBe(201);
  });

  it('a move may change the anatomy, judged the same way', async () => {
    const p = await a.exemptPatient();
    const booked = await a.booked(p.patientId, p.episodeId, '2027-07-05');
    // Caudal keeps the booked L4-L5 and left side, neither of which a caudal entry has.
    const bad = await a.call('POST', `/v1/injections/${booked.id}/reschedule`, {
      scheduledAt: nyMorning('2027-07-06'),
      approach: 'caudal',
    });
    expectProblem(bad, 400, 'INJECTION.ANATOMY');
    expect((await a.history(p.patientId))[0]).toMatchObject({ localDate: '2027-07-05', approach: 'transforaminal' });
    const ok = await a.call('POST', `/v1/injections/${booked.id}/reschedule`, {
      scheduledAt: nyMorning('2027-07-06'),
      levels: ['L4-L5', 'L5-S1'],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ localDate: '2027-07-06', levels: ['L4-L5', 'L5-S1'], approach: 'transforaminal' });
  });
});

describe('outcomes (finding 5)', () => {
  async function completedOn(date: string, p?: { patientId: string; episodeId: string }) {
    const q = p ?? (await a.exemptPatient());
    const booked = await a.booked(q.patientId, q.episodeId, date);
    expect((await a.complete(booked.id, nyMorning(date, '11:00'))).status).toBe(200);
    return { ...q, id: booked.id as string };
  }

  it('pain 0 → 0 has no derivable improvement and raises no surgical review', async () => {
    const p = await completedOn('2027-03-01');
    const first = await a.outcome(p.id, { painBefore: 0, painAfter: 0, assessedOn: '2027-03-15' });
    expect(first.body.outcome).toMatchObject({ percentImprovement: null, countsForFlags: true });
    const second = await completedOn('2027-03-29', p);
    await a.outcome(second.id, { painBefore: 0, painAfter: 0, assessedOn: '2027-04-12' });
    expect((await patientDetail(p.patientId)).flags.map((f: { flag: string }) => f.flag)).not.toContain('SURGICAL_REVIEW');
  });

  it('pain that did not fall is 0 %, not negative', async () => {
    const p = await completedOn('2027-03-01');
    expect((await a.outcome(p.id, { painBefore: 4, painAfter: 6, assessedOn: '2027-03-15' })).body.outcome.percentImprovement).toBe(0);
  });

  it('an assessment under 7 days after the injection is stored but does not count; 7 days does', async () => {
    const p = await completedOn('2027-05-03');
    const sameDay = await a.outcome(p.id, { painBefore: 8, painAfter: 3, assessedOn: '2027-05-03' });
    expect(sameDay.body.outcome).toMatchObject({ percentImprovement: 63, countsForFlags: false });
    const sixDays = await a.outcome(p.id, { painBefore: 8, painAfter: 3, assessedOn: '2027-05-09' });
    expect(sixDays.body.outcome.countsForFlags).toBe(false);
    expect((await patientDetail(p.patientId)).flags.map((f: { flag: string }) => f.flag)).not.toContain('SECOND_INJECTION_SUGGESTED');
    const week = await a.outcome(p.id, { painBefore: 8, painAfter: 3, assessedOn: '2027-05-10', reliefLastedDays: 21 });
    expect(week.body.outcome).toMatchObject({ countsForFlags: true, reliefLastedDays: 21 });
    expect((await patientDetail(p.patientId)).flags.map((f: { flag: string }) => f.flag)).toContain('SECOND_INJECTION_SUGGESTED');
  });

  it('refuses a negative or fractional reliefLastedDays', async () => {
    const p = await completedOn('2027-03-01');
    expectProblem(await a.outcome(p.id, { painBefore: 5, painAfter: 2, assessedOn: '2027-03-15', reliefLastedDays: -1 }), 400);
    expectProblem(await a.outcome(p.id, { painBefore: 5, painAfter: 2, assessedOn: '2027-03-15', reliefLastedDays: 1.5 }), 400);
  });
});

describe('withdrawn exemptions (finding 6)', () => {
  it('clearing the signs after an early booking warns, flags the patient and the nightly integrity check, until it moves', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({ severity: 'mild', neurologicalSigns: ['numbness'] });
    const early = await a.booked(patientId, episodeId, '2027-01-20'); // day 16 of the trial: allowed only by the sign

    const edit = await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: [] });
    expect(edit.status).toBe(200);
    expect(edit.body.r1Exempt).toBe(false);
    expect(edit.body.warnings).toEqual([
      { code: 'R1_EXEMPTION_WITHDRAWN', injectionId: early.id, localDate: '2027-01-20', message: expect.stringContaining('2027-02-15') },
    ]);
    // Nothing was cancelled.
    expect((await a.history(patientId))[0]).toMatchObject({ id: early.id, status: 'scheduled' });
    const flag = (await patientDetail(patientId)).flags.find((f: { flag: string }) => f.flag === 'BOOKED_NOW_INELIGIBLE');
    expect(flag).toMatchObject({ injectionIds: [early.id] });
    expect(flag.message).toContain('2027-01-20');

    const report = await t.app.inject({ method: 'GET', url: '/v1/reports/daily?date=2027-01-20', headers: auth(ADMIN_KEY) });
    expect(report.json().integrity.scheduledNowIneligible.filter((x: { injectionId: string }) => x.injectionId === early.id)).toEqual([
      expect.objectContaining({ injectionId: early.id, localDate: '2027-01-20', problem: 'R1_EXEMPTION_WITHDRAWN' }),
    ]);

    // Moved past the trial: the flag is gone.
    expect((await a.reschedule(early.id, nyMorning('2027-02-15'))).status).toBe(200);
    expect((await patientDetail(patientId)).flags.map((f: { flag: string }) => f.flag)).not.toContain('BOOKED_NOW_INELIGIBLE');
  });

  it('an edit that keeps the exemption (another sign) warns of nothing', async () => {
    const { patientId, episodeId } = await a.patientWithEpisode({ neurologicalSigns: ['numbness'] });
    await a.booked(patientId, episodeId, '2027-01-20');
    const edit = await a.call('PATCH', `/v1/episodes/${episodeId}`, { neurologicalSigns: ['tingling'] });
    expect(edit.body.warnings).toEqual([]);
  });
});

describe('before conservative care began (finding 7)', () => {
  it('refuses an exempt episode a date before its conservative care started', async () => {
    const { patientId, episodeId } = await a.exemptPatient(); // started 2027-01-04, severe
    const r = expectViolation(await a.book(patientId, episodeId, nyMorning('2027-01-03')), 'R1_CONSERVATIVE_TRIAL', '2027-01-04');
    expect(r.violations[0].message).toContain('before conservative care');
    expect((await a.eligibility(patientId, '2027-01-03')).body.blockers[0]).toMatchObject({
      rule: 'R1_CONSERVATIVE_TRIAL',
      until: '2027-01-04',
    });
    expect((await a.book(patientId, episodeId, nyMorning('2027-01-04'))).status).toBe(201);
  });
});
