// autocannon with the mixed front-desk traffic of a clinic day: reads of patients (each one audited),
// searches, eligibility, the day's schedule, histories, and bookings that always pass the rules.
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { addDays, FIRST_BOOKING_DATE, morningOf, type SeededPatient } from './seed.ts';

interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  /** Requests per second across all connections; unset = as fast as the server answers. */
  overallRate?: number;
  timeout?: number;
  requests: { setupRequest: (req: RawRequest) => RawRequest }[];
}

export interface LoadResult {
  requests: { average: number; total: number; sent: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** The running load: an EventEmitter ('response' per answer) that resolves to the totals. */
export type LoadRun = EventEmitter & PromiseLike<LoadResult>;

// The package ships no types; this is the part of its API the suite uses.
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: LoadOptions) => LoadRun;

export function runLoad(opts: LoadOptions): LoadRun {
  return autocannon(opts);
}

const SPREAD_DAYS = 700;

/** One request spec whose every call picks the next request of the mix. */
export function clinicMix(patients: SeededPatient[], key: string) {
  let n = 0;
  let bookings = 0;
  const auth = { authorization: `Bearer ${key}` };
  const pick = (): RawRequest => {
    const i = n++;
    const p = patients[i % patients.length]!;
    switch (i % 10) {
      case 0:
      case 1: {
        // Patient (b mod P) gets its (b div P)-th booking, 14 days after its previous one: never refused.
        // Patients start on different days over two years, so a day holds a clinic's worth of bookings.
        const b = bookings++;
        const who = patients[b % patients.length]!;
        const date = addDays(FIRST_BOOKING_DATE, ((b % patients.length) % SPREAD_DAYS) + 14 * Math.floor(b / patients.length));
        const body = {
          patientId: who.patientId,
          episodeId: who.episodeId,
          scheduledAt: morningOf(date),
          level: 'L5-S1',
          approach: 'interlaminar',
          side: 'midline',
        };
        return {
          method: 'POST',
          path: '/v1/injections',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
      }
      case 2:
      case 3:
      case 4:
        return { method: 'GET', path: `/v1/patients/${p.patientId}`, headers: auth };
      case 5:
        return { method: 'GET', path: `/v1/patients?q=Patient${i % 7}&limit=10`, headers: auth };
      case 6:
      case 7:
        return { method: 'GET', path: `/v1/patients/${p.patientId}/eligibility`, headers: auth };
      case 8:
        return { method: 'GET', path: `/v1/schedule?date=${addDays(FIRST_BOOKING_DATE, i % SPREAD_DAYS)}`, headers: auth };
      default:
        return { method: 'GET', path: `/v1/patients/${p.patientId}/injections`, headers: auth };
    }
  };
  return [{ setupRequest: () => pick() }];
}
