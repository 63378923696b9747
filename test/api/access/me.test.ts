// GET /v1/me tells the dashboard the clinic's zone and which routes the key may call, both read from the
// server's own configuration and access policy, so the browser neither guesses the zone nor keeps a
// copy of the role table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_POLICY } from '../../../src/plugins/access-policy.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { bearer, keysByRole, ROLE_NAMES, type IssuedKey, type RoleName } from './support.ts';

let t: TestApp;
let keys: Record<RoleName, IssuedKey>;

beforeAll(async () => {
  t = await createTestApp({ clinicTimeZone: 'America/Chicago' });
  keys = await keysByRole(t.app);
});
afterAll(async () => {
  await t.close();
});

const me = async (key: string) => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(key) });
  expect(res.statusCode).toBe(200);
  return res.json<{ id: string; name: string; role: RoleName; timeZone: string; may: string[] }>();
};

describe('GET /v1/me', () => {
  it("names the clinic's configured zone", async () => {
    expect((await me(keys.front_desk.key)).timeZone).toBe('America/Chicago');
  });

  it.each(ROLE_NAMES)('lists exactly the routes the access policy allows a %s key', async (role) => {
    const body = await me(keys[role].key);
    const expected = Object.entries(ACCESS_POLICY)
      .filter(([, roles]) => roles.includes(role))
      .map(([route]) => route);
    expect(body.may.sort()).toEqual(expected.sort());
  });

  it('lets each role see what it may do and not what it may not', async () => {
    const desk = (await me(keys.front_desk.key)).may;
    expect(desk).toContain('POST /v1/injections');
    expect(desk).not.toContain('POST /v1/injections/:id/complete');
    expect(desk).not.toContain('GET /v1/reports/daily');
    const auditor = (await me(keys.auditor.key)).may;
    expect(auditor).toContain('GET /v1/reports/daily');
    expect(auditor).not.toContain('POST /v1/injections');
    expect((await me(keys.clinician.key)).may).toContain('POST /v1/injections/:id/complete');
    expect((await me(keys.admin.key)).may).toContain('DELETE /v1/api-keys/:id');
  });
});
