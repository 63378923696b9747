// What the fuzzer aims at: keys of every role (one of them revoked), patients with open episodes,
// injections in the past and the future, some completed, and keys that exist only to be deleted.
import { call } from '../support/http.ts';
import { addDays, bookingBody, createKey, seedPatients } from '../support/seed.ts';
import { ADMIN_KEY } from '../support/server-process.ts';

export async function seedFuzzData(base: string) {
  const [frontDesk, clinician, auditor, revoked] = await Promise.all([
    createKey(base, 'front_desk'),
    createKey(base, 'clinician'),
    createKey(base, 'auditor'),
    createKey(base, 'front_desk'),
  ]);
  await call(base, { method: 'DELETE', path: `/v1/api-keys/${revoked.id}`, key: ADMIN_KEY });
  const spare = await Promise.all(Array.from({ length: 6 }, () => createKey(base, 'auditor')));
  const patients = await seedPatients(base, 30);
  const injections: string[] = [];
  for (const [i, p] of patients.entries()) {
    for (const date of ['2025-06-02', addDays('2031-01-06', (i % 5) * 7)]) {
      const r = await call(base, { method: 'POST', path: '/v1/injections', key: ADMIN_KEY, body: bookingBody(p, date) });
      if (r.status !== 201) throw new Error(`fuzz seed booking: ${r.status} ${r.text}`);
      injections.push(String(r.body.id));
      if (i % 3 === 0 && date.startsWith('2025')) {
        await call(base, {
          method: 'POST',
          path: `/v1/injections/${String(r.body.id)}/complete`,
          key: ADMIN_KEY,
          body: { performedAt: '2025-06-02T15:00:00Z' },
        });
      }
    }
  }
  return {
    keys: {
      admin: ADMIN_KEY,
      front_desk: frontDesk.key,
      clinician: clinician.key,
      auditor: auditor.key,
      revoked: revoked.key,
      garbage: 'garbage-key-0123456789abcdef0123',
    } as Record<string, string>,
    ids: {
      patients: patients.map((p) => p.patientId),
      episodes: patients.map((p) => p.episodeId),
      injections,
      apiKeys: spare.map((k) => k.id),
    },
  };
}
