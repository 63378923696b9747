// Load for the outage tests: loops of bookings, reads, searches and eligibility (half with a key the
// database must authenticate, half with the bootstrap admin key that needs no query, so both the auth
// lookup and the handlers meet the outage), plus a /readyz poller. Each answer is tagged with the phase.
import { call, makeAgent, type Seen } from './http.ts';
import { addDays, bookingBody, FIRST_BOOKING_DATE, type SeededPatient } from './seed.ts';
import { ADMIN_KEY } from './server-process.ts';

export type Phase = 'before' | 'outage' | 'after';
export interface Sample extends Seen {
  phase: Phase;
  kind: string;
}
export const KINDS = ['book', 'read', 'list', 'eligibility'] as const;

/** `dayOffset` keeps each run's bookings clear of an earlier run's on the same patients. */
export function outageLoad(base: string, patients: SeededPatient[], deskKey: string, tag: string, dayOffset: number) {
  const agent = makeAgent(patients.length + 1);
  const samples: Sample[] = [];
  const ready: { at: number; end: number; status: number }[] = [];
  let phase: Phase = 'before';
  let running = true;
  const loop = async (i: number) => {
    const p = patients[i]!;
    for (let n = 0; running; n++) {
      const key = n % 2 === 0 ? deskKey : ADMIN_KEY;
      const kind = KINDS[n % KINDS.length]!;
      const opts =
        kind === 'book'
          ? {
              method: 'POST',
              path: '/v1/injections',
              body: bookingBody(p, addDays(FIRST_BOOKING_DATE, dayOffset + 14 * n)),
              key,
              idempotencyKey: `${tag}-${i}-${n}`,
            }
          : kind === 'read'
            ? { path: `/v1/patients/${p.patientId}`, key }
            : kind === 'list'
              ? { path: '/v1/patients?limit=5', key }
              : { path: `/v1/patients/${p.patientId}/eligibility`, key };
      const at = phase;
      const answer = await call(base, opts, agent);
      samples.push({ ...answer, phase: at, kind });
      // Each booking is cancelled once acknowledged, as a desk reshuffling its day would: the patient
      // keeps at most one counted injection, so the load never meets R5's consultation limit however
      // long it runs. The acknowledged booking stays in the database (cancelled) for the checks.
      if (kind === 'book' && answer.status === 201) {
        const cancel = { method: 'POST', path: `/v1/injections/${String(answer.body.id)}/cancel`, body: { reason: 'reshuffled' }, key };
        samples.push({ ...(await call(base, cancel, agent)), phase: at, kind: 'cancel' });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const readyLoop = async () => {
    while (running) {
      const r = await call(base, { path: '/readyz' }, agent);
      ready.push({ at: r.startedAt, end: r.startedAt + r.ms, status: r.status });
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  // New requests arriving every 200 ms whatever the others are waiting for, as fresh clients would.
  const fresh: Promise<void>[] = [];
  const freshLoop = async () => {
    for (let n = 0; running; n++) {
      const at = phase;
      const p = patients[n % patients.length]!;
      fresh.push(
        call(base, { path: `/v1/patients/${p.patientId}`, key: ADMIN_KEY }).then(
          (r) => void samples.push({ ...r, phase: at, kind: 'fresh' }),
        ),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const all = Promise.all([...patients.map((_, i) => loop(i)), readyLoop(), freshLoop()]);
  return {
    samples,
    ready,
    setPhase(p: Phase) {
      phase = p;
    },
    /** True once every kind of request has succeeded since `since`. */
    recoveredSince: (since: number) =>
      KINDS.every((k) => samples.some((s) => s.startedAt >= since && s.kind === k && s.status >= 200 && s.status < 300)),
    async stop() {
      running = false;
      await all;
      await Promise.all(fresh);
      agent.destroy();
    },
  };
}
