// Patients through the API: registration, search, cursor pagination and demographic edits.
// "Today" is 2027-06-15 in the clinic.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, uniqueMrn, type TestApp } from '../../helpers/app.ts';
import { api, expectProblem, expectValidation } from './support.ts';

let t: TestApp;
let a: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ now: '2027-06-15T16:00:00Z' });
  a = api(t);
});
afterAll(async () => t.close());

const tag = () => `Zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const search = async (q: string, extra = '') => (await a.call('GET', `/v1/patients?q=${encodeURIComponent(q)}${extra}`)).body;

describe('registering a patient', () => {
  it('creates it (201) and refuses a second one with the same MRN (409)', async () => {
    const mrn = uniqueMrn();
    const body = { mrn, givenName: 'Ada', familyName: 'Lovelace', birthDate: '1975-12-10', phone: '+1 555 0100', email: 'ada@example.org' };
    const r = await a.call('POST', '/v1/patients', body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...body, id: expect.any(String) });
    expectProblem(await a.call('POST', '/v1/patients', { ...body, givenName: 'Other' }), 409, 'PATIENT.DUPLICATE_MRN');
    expect((await search(mrn)).items).toHaveLength(1);
  });

  it('refuses a birth date after today in the clinic, and accepts today', async () => {
    expectValidation(
      await a.call('POST', '/v1/patients', { mrn: uniqueMrn(), givenName: 'A', familyName: 'B', birthDate: '2027-06-16' }),
      'birthDate',
    );
    expect(
      (await a.call('POST', '/v1/patients', { mrn: uniqueMrn(), givenName: 'A', familyName: 'B', birthDate: '2027-06-15' })).status,
    ).toBe(201);
  });

  it.each([
    ['an MRN with spaces', { mrn: 'MRN 1' }, 'mrn'],
    ['an MRN over 32 characters', { mrn: 'M'.repeat(33) }, 'mrn'],
    ['a blank name', { givenName: '  ' }, 'givenName'],
    ['an impossible date', { birthDate: '1980-02-30' }, 'birthDate'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an unknown field', { nickname: 'Al' }, ''],
  ])('refuses %s with 400', async (_what, patch, path) => {
    expectValidation(
      await a.call('POST', '/v1/patients', { mrn: uniqueMrn(), givenName: 'A', familyName: 'B', birthDate: '1980-01-01', ...patch }),
      path,
    );
  });

  it('refuses malformed ids with 400 on every patient route', async () => {
    for (const url of ['/v1/patients/123', '/v1/patients/not-a-uuid/injections', '/v1/patients/xyz/eligibility?on=2027-03-01']) {
      expectValidation(await a.call('GET', url), 'params');
    }
    expectValidation(await a.call('PATCH', '/v1/patients/123', { givenName: 'X' }), 'params');
    expectProblem(await a.call('GET', `/v1/patients/${randomUUID()}`), 404, 'PATIENT.NOT_FOUND');
  });
});

describe('searching', () => {
  it('matches an MRN prefix', async () => {
    const prefix = `Q${randomUUID().slice(0, 6)}`;
    const p1 = await a.patient({ mrn: `${prefix}-1` });
    const p2 = await a.patient({ mrn: `${prefix}-22` });
    await a.patient();
    expect((await search(prefix)).items.map((p: { id: string }) => p.id).sort()).toEqual([p1.id, p2.id].sort());
    expect((await search(`${prefix}-2`)).items.map((p: { id: string }) => p.id)).toEqual([p2.id]);
  });

  it('matches names case-insensitively, every word against given or family name', async () => {
    const family = tag();
    const ada = await a.patient({ givenName: 'Ada', familyName: family });
    const grace = await a.patient({ givenName: 'Grace', familyName: family });
    expect((await search(family.toUpperCase())).items.map((p: { id: string }) => p.id).sort()).toEqual([ada.id, grace.id].sort());
    expect((await search(`ada ${family.toLowerCase()}`)).items.map((p: { id: string }) => p.id)).toEqual([ada.id]);
    expect((await search(`${family.slice(0, 6)} GRA`)).items.map((p: { id: string }) => p.id)).toEqual([grace.id]);
    expect((await search(`${family} nobody`)).items).toEqual([]);
  });

  it('treats % and _ as ordinary characters, not wildcards', async () => {
    await a.patient({ givenName: 'Wild', familyName: tag() });
    expect((await search('%')).items).toEqual([]);
    expect((await search('_')).items).toEqual([]);
    expect((await search('W%')).items).toEqual([]);
    const family = tag();
    const odd = await a.patient({ givenName: 'Pct', familyName: `${family}_50%` });
    expect((await search(`${family}_50%`)).items.map((p: { id: string }) => p.id)).toEqual([odd.id]);
  });

  it('walks every patient exactly once through the cursor, ties broken by id', async () => {
    const family = tag();
    const ids: string[] = [];
    // Equal names on purpose: only the id decides their order.
    for (let i = 0; i < 11; i++) ids.push((await a.patient({ familyName: family, givenName: i % 3 === 0 ? 'Same' : `G${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await search(family, `&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((p: { id: string }) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('walks names that differ only in case, accents and punctuation exactly once', async () => {
    const given = tag();
    const families = ['adams', 'Adams', 'ADAMS', 'Ádams', 'Adams-Smith', "O'Brien", 'obrien', 'Zed', 'zed', 'Øster'];
    const ids: string[] = [];
    for (const familyName of families) ids.push((await a.patient({ givenName: given, familyName })).id);
    for (const limit of [1, 3]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await search(given, `&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.items.map((p: { id: string }) => p.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length <= families.length);
      expect(seen).toHaveLength(families.length);
      expect([...seen].sort()).toEqual([...ids].sort());
    }
  });

  it('walks the whole unfiltered list without duplicates', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const r: any = (await a.call('GET', `/v1/patients?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      all.push(...r.items.map((p: { id: string }) => p.id));
      cursor = r.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    const sql = new pg.Client({ connectionString: t.testDb.url });
    await sql.connect();
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM patients').finally(() => sql.end());
    expect(rows.length).toBeGreaterThan(15);
    expect([...all].sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('refuses a cursor it did not issue and a limit out of range', async () => {
    expectValidation(await a.call('GET', '/v1/patients?cursor=garbage'), 'cursor');
    expectValidation(await a.call('GET', '/v1/patients?limit=0'), 'limit');
    expectValidation(await a.call('GET', '/v1/patients?limit=101'), 'limit');
  });
});

describe('editing demographics', () => {
  it('changes names, birth date and contact details; null clears phone', async () => {
    const p = await a.patient({ phone: '+1 555 0199' });
    const r = await a.call('PATCH', `/v1/patients/${p.id}`, { givenName: 'Augusta', birthDate: '1980-02-29', phone: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: p.id, mrn: p.mrn, givenName: 'Augusta', birthDate: '1980-02-29', phone: null });
    expect((await a.call('GET', `/v1/patients/${p.id}`)).body).toMatchObject({ givenName: 'Augusta', phone: null });
  });

  it('refuses an MRN, an unknown field, an empty body and a future birth date', async () => {
    const p = await a.patient();
    expectValidation(await a.call('PATCH', `/v1/patients/${p.id}`, { mrn: 'NEW-1' }));
    expectValidation(await a.call('PATCH', `/v1/patients/${p.id}`, { id: randomUUID() }));
    expectValidation(await a.call('PATCH', `/v1/patients/${p.id}`, {}));
    expectValidation(await a.call('PATCH', `/v1/patients/${p.id}`, { birthDate: '2027-07-01' }), 'birthDate');
    expect((await a.call('GET', `/v1/patients/${p.id}`)).body.mrn).toBe(p.mrn);
    expectProblem(await a.call('PATCH', `/v1/patients/${randomUUID()}`, { givenName: 'X' }), 404, 'PATIENT.NOT_FOUND');
  });
});
