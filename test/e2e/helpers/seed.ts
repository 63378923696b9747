// Test data through the public API (as the admin key), each test with its own patients.
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';

export interface Api {
  post<T = any>(path: string, body: unknown): Promise<T>;
  put<T = any>(path: string, body: unknown): Promise<T>;
  get<T = any>(path: string, accept?: string): Promise<T>;
}

export function api(baseUrl: string, key: string): Api {
  async function call(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<any> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        accept,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': randomBytes(12).toString('hex') } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return accept === 'application/json' ? res.json() : res.text();
  }
  return {
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    get: (path, accept) => call('GET', path, undefined, accept),
  };
}

export const clinicToday = (zone: string) => DateTime.now().setZone(zone).toISODate()!;
export const plusDays = (date: string, n: number) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
/** A clinic wall-clock time as an instant with the clinic's offset. */
export const at = (date: string, time: string, zone: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone }).toISO({ suppressMilliseconds: true })!;

export interface SeededPatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  episodeId: string;
}

export async function seedPatient(
  a: Api,
  opts: { familyName: string; givenName: string; careStartedOn: string; severity?: string; diagnosis?: string; signs?: string[] },
): Promise<SeededPatient> {
  const mrn = `E2E-${randomBytes(4).toString('hex').toUpperCase()}`;
  const p = await a.post('/v1/patients', {
    mrn,
    givenName: opts.givenName,
    familyName: opts.familyName,
    birthDate: '1968-03-21',
    phone: '+1 555 0142',
  });
  const e = await a.post(`/v1/patients/${p.id}/episodes`, {
    region: 'lumbar',
    diagnosis: opts.diagnosis ?? 'L5 radiculopathy',
    conservativeCareStartedOn: opts.careStartedOn,
    therapies: ['medication', 'physical_therapy'],
    severity: opts.severity ?? 'moderate',
    neurologicalSigns: opts.signs ?? [],
  });
  return { id: p.id, mrn, givenName: opts.givenName, familyName: opts.familyName, episodeId: e.id };
}

export async function seedInjection(
  a: Api,
  p: SeededPatient,
  zone: string,
  date: string,
  opts: { time?: string; complete?: boolean; outcome?: [number, number] } = {},
): Promise<string> {
  const scheduledAt = at(date, opts.time ?? '09:00', zone);
  const inj = await a.post('/v1/injections', {
    patientId: p.id,
    episodeId: p.episodeId,
    scheduledAt,
    level: 'L4-L5',
    approach: 'transforaminal',
    side: 'left',
  });
  if (opts.complete || opts.outcome) await a.post(`/v1/injections/${inj.id}/complete`, { performedAt: scheduledAt });
  if (opts.outcome)
    await a.put(`/v1/injections/${inj.id}/outcome`, {
      painBefore: opts.outcome[0],
      painAfter: opts.outcome[1],
      assessedOn: plusDays(date, 14),
    });
  return inj.id as string;
}

/** A clinician's consultation (R5) letting the episode hold up to `allow` injections. */
export async function seedConsultation(a: Api, p: SeededPatient, allow: number): Promise<void> {
  await a.post(`/v1/episodes/${p.episodeId}/consultations`, { allowInjections: allow, note: 'Agreed further injections (test data).' });
}
