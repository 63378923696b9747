// Rows the load needs, created through the public API as a clinic's software would.
import { randomUUID } from 'node:crypto';
import { call, pool } from './http.ts';
import { ADMIN_KEY } from './server-process.ts';

export interface SeededPatient {
  patientId: string;
  episodeId: string;
}

/** The conservative trial of every seeded episode ended long before the dates the tests book. */
export const CARE_STARTED = '2025-01-06';
export const FIRST_BOOKING_DATE = '2031-01-06';

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 14:00Z is morning in New York all year, so the clinic-local date is the date given. */
export const morningOf = (isoDate: string) => `${isoDate}T14:00:00Z`;

export function bookingBody(p: SeededPatient, isoDate: string) {
  return {
    patientId: p.patientId,
    episodeId: p.episodeId,
    scheduledAt: morningOf(isoDate),
    level: 'L4-L5',
    approach: 'transforaminal',
    side: 'left',
  };
}

async function mustCreate(base: string, path: string, body: unknown, key: string): Promise<Record<string, any>> {
  const r = await call(base, { method: 'POST', path, body, key });
  if (r.status !== 201) throw new Error(`seed ${path}: ${r.status} ${r.error ?? r.text}`);
  return r.body;
}

export async function seedPatients(base: string, count: number, key: string = ADMIN_KEY): Promise<SeededPatient[]> {
  return pool(
    8,
    Array.from({ length: count }, (_, i) => async () => {
      const p = await mustCreate(
        base,
        '/v1/patients',
        { mrn: `REL-${randomUUID().slice(0, 8)}-${i}`, givenName: 'Reliability', familyName: `Patient${i}`, birthDate: '1968-03-14' },
        key,
      );
      const e = await mustCreate(
        base,
        `/v1/patients/${p.id}/episodes`,
        {
          region: 'lumbar',
          diagnosis: 'L5 radiculopathy',
          conservativeCareStartedOn: CARE_STARTED,
          therapies: ['physical_therapy'],
          severity: 'moderate',
          neurologicalSigns: [],
        },
        key,
      );
      // The load books many injections per episode: a consultation allows them (R5), as a clinic records.
      await mustCreate(base, `/v1/episodes/${String(e.id)}/consultations`, { allowInjections: 12, note: 'Series agreed' }, ADMIN_KEY);
      return { patientId: String(p.id), episodeId: String(e.id) };
    }),
  );
}

export async function createKey(
  base: string,
  role: 'front_desk' | 'clinician' | 'auditor' | 'admin',
): Promise<{ id: string; key: string }> {
  const r = await mustCreate(base, '/v1/api-keys', { name: `reliability-${role}-${randomUUID().slice(0, 6)}`, role }, ADMIN_KEY);
  return { id: String(r.id), key: String(r.key) };
}

/** A seeded generator, so a run's choices can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
