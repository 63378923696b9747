// Shared assertions and helpers for the scheduling API suites. Every helper goes through the public
// HTTP surface (app.inject), so a test sees exactly what a client would.
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { factories, type TestApp } from '../../helpers/app.ts';

export type Res = Awaited<ReturnType<ReturnType<typeof factories>['call']>>;
export type Rule = 'R1_CONSERVATIVE_TRIAL' | 'R2_INJECTION_INTERVAL' | 'R3_EPISODE' | 'R4_RED_FLAG' | 'R5_CONSULTATION';

/** An instant at 09:00 New York time on a date (EST or EDT chosen by the date itself). */
export function nyMorning(date: string, time = '09:00'): string {
  // Computed in the named zone and written with its offset, so the process zone never matters.
  return DateTime.fromISO(`${date}T${time}`, { zone: 'America/New_York' }).toISO({ suppressMilliseconds: true })!;
}

/** Every 4xx/5xx is RFC 9457: the content type and the five members a client keys on. */
export function expectProblem(res: Res, status: number, code?: string): Record<string, any> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.ts:\d+|SELECT |INSERT |Prisma|stack/);
  if (code !== undefined) expect(res.body.code).toBe(code);
  return res.body;
}

/** A 400 with errors[{path, message}], one of which names `pathPart`. */
export function expectValidation(res: Res, pathPart?: string): void {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors) && body.errors.length > 0, JSON.stringify(body)).toBe(true);
  for (const e of body.errors) expect(e).toMatchObject({ path: expect.any(String), message: expect.any(String) });
  if (pathPart !== undefined) expect(body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(pathPart);
}

/** A 422 whose first violation is `rule` with the given earliest eligible date. */
export function expectViolation(res: Res, rule: Rule, earliestEligibleDate: string | null): Record<string, any> {
  const body = expectProblem(res, 422);
  expect(body.violations.length).toBeGreaterThan(0);
  for (const v of body.violations) expect(v).toMatchObject({ rule: expect.any(String), message: expect.any(String) });
  expect(body.violations[0]).toMatchObject({ rule, earliestEligibleDate });
  return body;
}

export function api(t: TestApp) {
  const f = factories(t.app);
  return {
    ...f,
    /** A patient whose episode is exempt from R1 (severe), for tests about other rules. */
    exemptPatient: () => f.patientWithEpisode({ severity: 'severe' }),
    async booked(patientId: string, episodeId: string, date: string): Promise<Record<string, any>> {
      const r = await f.book(patientId, episodeId, nyMorning(date));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    history: async (patientId: string) => (await f.call('GET', `/v1/patients/${patientId}/injections`)).body.items as Record<string, any>[],
    eligibility: (patientId: string, on: string) => f.call('GET', `/v1/patients/${patientId}/eligibility?on=${on}`),
    reschedule: (id: string, scheduledAt: string) => f.call('POST', `/v1/injections/${id}/reschedule`, { scheduledAt }),
    cancel: (id: string, reason = 'patient request') => f.call('POST', `/v1/injections/${id}/cancel`, { reason }),
    noShow: (id: string) => f.call('POST', `/v1/injections/${id}/no-show`, {}),
    complete: (id: string, performedAt: string) => f.call('POST', `/v1/injections/${id}/complete`, { performedAt }),
    outcome: (id: string, body: Record<string, unknown>) => f.call('PUT', `/v1/injections/${id}/outcome`, body),
  };
}
