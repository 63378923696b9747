// A booking burst the crash tests cut short: every loop books its own patient every 14 days (always
// allowed), each request with its own Idempotency-Key, and remembers what it was told.
import { randomUUID } from 'node:crypto';
import { call, isProblem, makeAgent, pool, type Seen } from './http.ts';
import { addDays, bookingBody, FIRST_BOOKING_DATE, type SeededPatient } from './seed.ts';

export interface Attempt {
  idempotencyKey: string;
  body: ReturnType<typeof bookingBody>;
  seen: Seen;
}

export interface Burst {
  attempts: Attempt[];
  acked(): string[];
  /** Resolves when every loop has stopped (after a connection failure or `stop()`). */
  done: Promise<void>;
  stop(): void;
}

export function bookingBurst(base: string, key: string, patients: SeededPatient[]): Burst {
  const agent = makeAgent(patients.length);
  const attempts: Attempt[] = [];
  let stopped = false;
  const loop = async (p: SeededPatient) => {
    for (let n = 0; !stopped; n++) {
      const body = bookingBody(p, addDays(FIRST_BOOKING_DATE, 14 * n));
      const idempotencyKey = randomUUID();
      const seen = await call(base, { method: 'POST', path: '/v1/injections', key, body, idempotencyKey }, agent);
      attempts.push({ idempotencyKey, body, seen });
      if (seen.status === 0) return;
    }
  };
  const done = Promise.all(patients.map(loop)).then(() => agent.destroy());
  return {
    attempts,
    acked: () => attempts.filter((a) => a.seen.status === 201).map((a) => String(a.seen.body.id)),
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Sends every unanswered attempt again with its key, as a client retrying after an error would. */
export async function retryUnanswered(base: string, key: string, attempts: Attempt[]) {
  const unanswered = attempts.filter((a) => a.seen.status === 0);
  const retried = await pool(
    8,
    unanswered.map(
      (a) => () => call(base, { method: 'POST', path: '/v1/injections', key, body: a.body, idempotencyKey: a.idempotencyKey }),
    ),
  );
  return {
    retried,
    outcome: retried.map((r) =>
      r.status === 201
        ? r.headers['idempotent-replayed'] === 'true'
          ? '201 replayed'
          : '201 booked now'
        : `${r.status} ${String(r.body?.code)}`,
    ),
    badAnswers: retried.filter((r) => r.status === 0 || r.status >= 500 || (r.status !== 201 && !isProblem(r))),
    booked: retried.filter((r) => r.status === 201).map((r) => String(r.body.id)),
  };
}
