// The audit trail: one event per read of a patient's data and per change (refused bookings included),
// naming the key, its role and the request; written with the change or not at all; read back through
// GET /v1/audit-events with filters and cursor pagination.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ADMIN_ID } from '../../../src/plugins/auth.plugin.ts';
import { createTestApp, factories, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { keysByRole, sqlClient, type IssuedKey, type RoleName } from './support.ts';

let t: TestApp;
let sql: pg.Client;
let keys: Record<RoleName, IssuedKey>;
type Call = ReturnType<typeof factories>['call'];
let as: Record<RoleName, Call>;

beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-01T16:00:00Z' });
  sql = await sqlClient(t);
  keys = await keysByRole(t.app);
  as = Object.fromEntries(Object.entries(keys).map(([role, k]) => [role, factories(t.app, k.key).call])) as Record<RoleName, Call>;
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

interface AuditRow {
  id: string;
  actorId: string;
  actorName: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  patientId: string | null;
  patientIds: string[] | null;
  requestId: string;
  at: Date;
  before: any;
  after: any;
}

async function eventsOf(res: { headers: Record<string, unknown> }): Promise<AuditRow[]> {
  const requestId = String(res.headers['x-request-id']);
  expect(requestId.length).toBeGreaterThan(0);
  return (await sql.query<AuditRow>('SELECT * FROM audit_events WHERE "requestId" = $1 ORDER BY id', [requestId])).rows;
}

/** The single event a request wrote, checked against the key that made it. */
async function theEvent(
  res: { status: number; headers: Record<string, unknown> },
  role: RoleName,
  expected: Partial<AuditRow>,
): Promise<AuditRow> {
  const rows = await eventsOf(res);
  expect(rows.map((r) => r.action)).toEqual([expected.action]);
  const row = rows[0]!;
  expect(row).toMatchObject({
    actorId: keys[role].id,
    actorName: keys[role].name,
    actorRole: role,
    requestId: String(res.headers['x-request-id']),
    ...expected,
  });
  return row;
}

describe('changes and reads of one patient, each audited', () => {
  it('records who did what, with before/after for changes and the request id of the response', async () => {
    const created = await as.front_desk('POST', '/v1/patients', {
      mrn: uniqueMrn(),
      givenName: 'Audra',
      familyName: 'Trail',
      birthDate: '1971-02-03',
      phone: '+1 555 0142',
    });
    expect(created.status).toBe(201);
    const pid: string = created.body.id;
    const c = await theEvent(created, 'front_desk', {
      action: 'patient.create',
      entityType: 'patient',
      entityId: pid,
      patientId: pid,
      before: null,
    });
    expect(c.after).toMatchObject({ givenName: 'Audra', familyName: 'Trail' });

    const patched = await as.clinician('PATCH', `/v1/patients/${pid}`, { phone: '+1 555 0143' });
    const u = await theEvent(patched, 'clinician', { action: 'patient.update', entityId: pid, patientId: pid });
    expect([u.before.phone, u.after.phone]).toEqual(['+1 555 0142', '+1 555 0143']);

    await theEvent(await as.auditor('GET', `/v1/patients/${pid}`), 'auditor', { action: 'patient.read', entityId: pid, patientId: pid });

    const found = await as.front_desk('GET', `/v1/patients?q=${encodeURIComponent('Audra Trail')}`);
    expect(found.body.items.map((p: { id: string }) => p.id)).toContain(pid);
    // One event for the whole page, naming every patient it shows.
    const listed = await eventsOf(found);
    expect(listed.map((r) => [r.action, r.patientId])).toEqual([['patient.list', null]]);
    expect([...listed[0]!.patientIds!].sort()).toEqual(found.body.items.map((p: { id: string }) => p.id).sort());

    const episode = await as.clinician('POST', `/v1/patients/${pid}/episodes`, {
      region: 'lumbar',
      diagnosis: 'L5 radiculopathy',
      conservativeCareStartedOn: '2027-01-04',
      therapies: ['physical_therapy'],
      severity: 'moderate',
      neurologicalSigns: [],
    });
    const eid: string = episode.body.id;
    await theEvent(episode, 'clinician', { action: 'episode.create', entityType: 'episode', entityId: eid, patientId: pid });
    const edited = await as.clinician('PATCH', `/v1/episodes/${eid}`, { severity: 'severe' });
    const eu = await theEvent(edited, 'clinician', { action: 'episode.update', entityId: eid, patientId: pid });
    expect([eu.before.severity, eu.after.severity]).toEqual(['moderate', 'severe']);

    await theEvent(await as.front_desk('GET', `/v1/patients/${pid}/eligibility?on=2027-03-01`), 'front_desk', {
      action: 'eligibility.read',
      patientId: pid,
    });

    const book = (scheduledAt: string) =>
      as.front_desk('POST', '/v1/injections', {
        patientId: pid,
        episodeId: eid,
        scheduledAt,
        level: 'L4-L5',
        approach: 'transforaminal',
        side: 'left',
      });
    const booked = await book('2027-03-01T15:00:00Z');
    const iid: string = booked.body.id;
    const b = await theEvent(booked, 'front_desk', {
      action: 'injection.book',
      entityType: 'injection',
      entityId: iid,
      patientId: pid,
      before: null,
    });
    expect(b.after).toMatchObject({ id: iid, status: 'scheduled', localDate: '2027-03-01' });

    const moved = await as.front_desk('POST', `/v1/injections/${iid}/reschedule`, { scheduledAt: '2027-03-02T15:00:00Z' });
    const m = await theEvent(moved, 'front_desk', { action: 'injection.reschedule', entityId: iid, patientId: pid });
    expect([m.before.localDate, m.after.localDate]).toEqual(['2027-03-01', '2027-03-02']);

    const done = await as.clinician('POST', `/v1/injections/${iid}/complete`, { performedAt: '2027-03-02T15:30:00Z' });
    const d = await theEvent(done, 'clinician', { action: 'injection.complete', entityId: iid, patientId: pid });
    expect([d.before.status, d.after.status]).toEqual(['scheduled', 'completed']);
    const outcome = await as.clinician('PUT', `/v1/injections/${iid}/outcome`, { painBefore: 8, painAfter: 3, assessedOn: '2027-03-20' });
    expect(
      (await theEvent(outcome, 'clinician', { action: 'injection.outcome', entityId: iid, patientId: pid })).after.outcome,
    ).toMatchObject({ painBefore: 8, painAfter: 3 });

    const second = await book('2027-03-20T15:00:00Z');
    await theEvent(await as.front_desk('POST', `/v1/injections/${second.body.id}/no-show`, {}), 'front_desk', {
      action: 'injection.no_show',
      entityId: second.body.id,
      patientId: pid,
    });
    const third = await book('2027-04-05T15:00:00Z');
    const cancelled = await as.front_desk('POST', `/v1/injections/${third.body.id}/cancel`, { reason: 'patient request' });
    expect((await theEvent(cancelled, 'front_desk', { action: 'injection.cancel', entityId: third.body.id })).after.status).toBe(
      'cancelled',
    );

    const history = await as.auditor('GET', `/v1/patients/${pid}/injections`);
    await theEvent(history, 'auditor', { action: 'injection.history.read', patientId: pid });
    const day = await as.front_desk('GET', '/v1/schedule?date=2027-03-02');
    const rows = await eventsOf(day);
    expect(rows.map((r) => [r.action, r.entityType, r.entityId, r.patientId])).toEqual([['schedule.read', 'schedule', '2027-03-02', null]]);
    expect([...rows[0]!.patientIds!].sort()).toEqual([...new Set(day.body.items.map((i: { patientId: string }) => i.patientId))].sort());
    expect(rows[0]!.patientIds).toContain(pid);

    const closed = await as.clinician('POST', `/v1/episodes/${eid}/close`, { reason: 'resolved' });
    const cl = (await eventsOf(closed)).find((r) => r.action === 'episode.close')!;
    expect([cl.before.status, cl.after.status, cl.actorRole]).toEqual(['open', 'closed', 'clinician']);
  });

  it('audits a refused booking and a refused move as attempts, with the violations, and books nothing', async () => {
    const f = factories(t.app);
    const { patientId, episodeId } = await f.patientWithEpisode();
    const ok = await as.front_desk('POST', '/v1/injections', {
      patientId,
      episodeId,
      scheduledAt: '2027-03-01T15:00:00Z',
      approach: 'caudal',
      side: 'midline',
    });
    expect(ok.status).toBe(201);
    const refused = await as.front_desk('POST', '/v1/injections', {
      patientId,
      episodeId,
      scheduledAt: '2027-03-08T15:00:00Z',
      approach: 'caudal',
      side: 'midline',
    });
    expect(refused.status).toBe(422);
    const r = await theEvent(refused, 'front_desk', {
      action: 'injection.book.refused',
      entityType: 'injection',
      entityId: null,
      patientId,
    });
    expect(r.after.violations).toEqual(refused.body.violations);
    expect(r.after.violations[0].rule).toBe('R2_INJECTION_INTERVAL');
    expect(r.after.attempted).toMatchObject({ scheduledAt: '2027-03-08T15:00:00Z', localDate: '2027-03-08' });
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM injections WHERE "patientId" = $1', [patientId]);
    expect(rows[0].n).toBe(1);

    const other = await f.patientWithEpisode();
    const movable = await as.clinician('POST', '/v1/injections', {
      patientId: other.patientId,
      episodeId: other.episodeId,
      scheduledAt: '2027-03-01T15:00:00Z',
      approach: 'caudal',
      side: 'midline',
    });
    const badMove = await as.clinician('POST', `/v1/injections/${movable.body.id}/reschedule`, { scheduledAt: '2027-02-01T15:00:00Z' });
    expect(badMove.status).toBe(422);
    const mv = await theEvent(badMove, 'clinician', {
      action: 'injection.reschedule.refused',
      entityId: movable.body.id,
      patientId: other.patientId,
    });
    expect(mv.after.violations[0].rule).toBe('R1_CONSERVATIVE_TRIAL');
  });

  it('names the bootstrap admin key with its fixed id', async () => {
    const res = await factories(t.app).call('POST', '/v1/api-keys', { name: 'ops', role: 'auditor' });
    const [row] = await eventsOf(res);
    expect(row).toMatchObject({
      action: 'api_key.create',
      actorId: BOOTSTRAP_ADMIN_ID,
      actorName: 'bootstrap-admin',
      actorRole: 'admin',
      entityId: res.body.id,
    });
    expect(JSON.stringify(row!.after)).not.toContain(res.body.key);
    const revoked = await factories(t.app, keys.admin.key).call('DELETE', `/v1/api-keys/${res.body.id}`);
    const rv = await theEvent(revoked, 'admin', { action: 'api_key.revoke', entityId: res.body.id });
    expect([rv.before.revokedAt, typeof rv.after.revokedAt]).toEqual([null, 'string']);
  });
});

describe('atomicity', () => {
  /** Makes the database refuse audit rows of one action, as a full disk or a lost connection would. */
  async function withAuditFailing(action: string, run: () => Promise<void>) {
    await sql.query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit refused' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await sql.query('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    try {
      await run();
    } finally {
      await sql.query('DROP TRIGGER refuse_audit ON audit_events');
      await sql.query('DROP FUNCTION refuse_audit()');
    }
  }

  it('rolls a change back when its audit row cannot be written', async () => {
    const p = await factories(t.app).patient({ givenName: 'Atomic' });
    await withAuditFailing('patient.update', async () => {
      const res = await as.clinician('PATCH', `/v1/patients/${p.id}`, { givenName: 'Changed' });
      expect(res.status).toBe(500);
    });
    const { rows } = await sql.query('SELECT "givenName" FROM patients WHERE id = $1', [p.id]);
    expect(rows[0].givenName).toBe('Atomic');
  });

  it('returns no patient data when the read cannot be audited', async () => {
    const p = await factories(t.app).patient({ familyName: 'Unseen' });
    await withAuditFailing('patient.read', async () => {
      const res = await as.auditor('GET', `/v1/patients/${p.id}`);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('Unseen');
    });
  });
});

describe('GET /v1/audit-events', () => {
  it('filters by patient and by actor', async () => {
    const { patientId } = await factories(t.app).patientWithEpisode();
    await as.clinician('GET', `/v1/patients/${patientId}`);
    const byPatient = await as.auditor('GET', `/v1/audit-events?patientId=${patientId}&limit=100`);
    expect(byPatient.status).toBe(200);
    expect(byPatient.body.items.length).toBeGreaterThanOrEqual(3);
    expect(byPatient.body.items.every((e: AuditRow) => e.patientId === patientId)).toBe(true);
    expect(byPatient.body.items.map((e: AuditRow) => e.action)).toEqual(
      expect.arrayContaining(['patient.create', 'episode.create', 'patient.read']),
    );
    const byActor = await as.admin('GET', `/v1/audit-events?actorId=${keys.clinician.id}&limit=100`);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((e: AuditRow) => e.actorId === keys.clinician.id && e.actorRole === 'clinician')).toBe(true);
    const none = await as.auditor('GET', `/v1/audit-events?patientId=${randomUUID()}`);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const all = (await as.auditor('GET', '/v1/audit-events?limit=100')).body.items as { id: string; at: string }[];
    const pivot = all[Math.floor(all.length / 2)]!;
    const from = (await as.auditor('GET', `/v1/audit-events?from=${pivot.at}&limit=100`)).body.items as { id: string; at: string }[];
    const to = (await as.auditor('GET', `/v1/audit-events?to=${pivot.at}&limit=100`)).body.items as { id: string; at: string }[];
    expect(from.every((e) => e.at >= pivot.at)).toBe(true);
    expect(from.map((e) => e.id)).toContain(pivot.id);
    expect(to.every((e) => e.at < pivot.at)).toBe(true);
    expect(to.length).toBeGreaterThan(0);
    expect((await as.auditor('GET', '/v1/audit-events?from=2027-01-01')).status).toBe(400);
  });

  it('pages newest first with a cursor, without gaps or repeats, while new events arrive', async () => {
    const { patientId } = await factories(t.app).patientWithEpisode();
    for (let i = 0; i < 4; i++) await as.front_desk('GET', `/v1/patients/${patientId}/eligibility`);
    const whole = (await as.auditor('GET', `/v1/audit-events?patientId=${patientId}&limit=100`)).body.items.map((e: AuditRow) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await as.auditor('GET', `/v1/audit-events?patientId=${patientId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...res.body.items.map((e: AuditRow) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    // Each page read is itself audited under this patient, after `whole` was taken: those are newer.
    expect(paged.filter((id) => BigInt(id) <= BigInt(whole[0]))).toEqual(whole);
    expect(new Set(paged).size).toBe(paged.length);
    expect([...paged].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1))).toEqual(paged);
    expect((await as.auditor('GET', '/v1/audit-events?cursor=not-a-cursor')).status).toBe(400);
  });

  it('finds every list read that showed a patient: schedule pages, searches and reads of the trail', async () => {
    const f = factories(t.app);
    const family = `Listed${randomUUID().slice(0, 8)}`;
    const [p1, p2] = [await f.patient({ familyName: family }), await f.patient({ familyName: family })];
    const e1 = await as.clinician('POST', `/v1/patients/${p1.id}/episodes`, {
      region: 'lumbar',
      diagnosis: 'radiculopathy',
      conservativeCareStartedOn: '2027-01-04',
      therapies: ['physical_therapy'],
      severity: 'severe',
      neurologicalSigns: [],
    });
    const booked = await as.front_desk('POST', '/v1/injections', {
      patientId: p1.id,
      episodeId: e1.body.id,
      scheduledAt: '2027-08-02T15:00:00Z',
      level: 'L4-L5',
      approach: 'transforaminal',
      side: 'left',
    });
    expect(booked.status).toBe(201);
    const search = await as.front_desk('GET', `/v1/patients?q=${family}`);
    expect(search.body.items).toHaveLength(2);
    const schedule = await as.front_desk('GET', '/v1/schedule?date=2027-08-02&limit=1');
    expect(schedule.body.items.map((i: { patientId: string }) => i.patientId)).toEqual([p1.id]);
    // A read of the trail filtered to another patient, whose page shows p2's search event.
    const trail = await as.auditor('GET', `/v1/audit-events?actorId=${keys.front_desk.id}&limit=2`);
    expect(
      trail.body.items.some((e: AuditRow) => e.patientIds?.includes(p2.id)),
      JSON.stringify(trail.body),
    ).toBe(true);

    const [searchEvent] = await eventsOf(search);
    const [scheduleEvent] = await eventsOf(schedule);
    const [trailEvent] = await eventsOf(trail);
    expect(trailEvent!.patientIds).toEqual(expect.arrayContaining([p1.id, p2.id]));
    const idsFor = async (patientId: string) =>
      ((await as.auditor('GET', `/v1/audit-events?patientId=${patientId}&limit=100`)).body.items as AuditRow[]).map((e) => e.id);
    const ofP1 = await idsFor(p1.id);
    expect(ofP1).toEqual(expect.arrayContaining([searchEvent!.id, scheduleEvent!.id, trailEvent!.id]));
    const ofP2 = await idsFor(p2.id);
    expect(ofP2).toEqual(expect.arrayContaining([searchEvent!.id, trailEvent!.id]));
    // The schedule page showed only p1.
    expect(ofP2).not.toContain(scheduleEvent!.id);
    // Events about the patient itself are still found, newest first.
    const items = (await as.auditor('GET', `/v1/audit-events?patientId=${p2.id}&limit=100`)).body.items as AuditRow[];
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(['patient.create', 'patient.list', 'audit.read']));
    expect(items.every((e) => e.patientId === p2.id || e.patientIds?.includes(p2.id))).toBe(true);
    expect(items.every((e, k) => k === 0 || BigInt(e.id) < BigInt(items[k - 1]!.id))).toBe(true);
  });

  it('audits reading the trail itself', async () => {
    const res = await as.auditor('GET', '/v1/audit-events?limit=1');
    expect((await eventsOf(res)).map((r) => [r.action, r.actorId])).toEqual([['audit.read', keys.auditor.id]]);
  });
});
