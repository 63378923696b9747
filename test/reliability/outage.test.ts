// PostgreSQL stopped for 10 s under load (a cluster of this test's own): requests fail fast with a 503
// problem, /readyz says 503, and service comes back by itself when PostgreSQL does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownCluster, type OwnCluster } from './support/databases.ts';
import { percentile, printFigures, tally } from './support/figures.ts';
import { call, isProblem, makeAgent, type Seen } from './support/http.ts';
import { checkInvariants, missingBookings, NO_BREAKS } from './support/invariants.ts';
import { SIZES } from './support/profile.ts';
import { addDays, bookingBody, createKey, FIRST_BOOKING_DATE, seedPatients } from './support/seed.ts';
import { ADMIN_KEY, startServer, type ServerProcess } from './support/server-process.ts';

/** The bound this suite holds the service to while its database is down (docs/reliability.md). */
export const OUTAGE_MAX_LATENCY_MS = 5_000;
const LOOPS = 8;
const BASELINE_MS = 3_000;
const RECOVERY_LIMIT_MS = 30_000;

type Phase = 'before' | 'outage' | 'after';
interface Sample extends Seen {
  phase: Phase;
  kind: string;
}

describe('database outage', () => {
  let cluster: OwnCluster;
  let server: ServerProcess;

  beforeAll(async () => {
    cluster = await ownCluster(55401);
    server = await startServer({ port: 3470, databaseUrl: cluster.database.url });
  });

  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
  });

  it('answers 503 problems fast while PostgreSQL is stopped and recovers without a restart', async () => {
    const { key: deskKey } = await createKey(server.url, 'front_desk');
    const patients = await seedPatients(server.url, LOOPS);
    const agent = makeAgent(LOOPS + 1);
    let phase: Phase = 'before';
    let running = true;
    const samples: Sample[] = [];
    // Loops alternate the front-desk key (authenticated in the database) and the bootstrap admin key
    // (not), so both the auth lookup and the handlers' transactions meet the outage.
    const loop = async (i: number) => {
      const p = patients[i]!;
      for (let n = 0; running; n++) {
        const key = n % 2 === 0 ? deskKey : ADMIN_KEY;
        const kind = ['book', 'read', 'list', 'eligibility'][n % 4]!;
        const opts = kind === 'book'
          ? { method: 'POST', path: '/v1/injections', body: bookingBody(p, addDays(FIRST_BOOKING_DATE, 14 * n)), key, idempotencyKey: `outage-${i}-${n}` }
          : kind === 'read' ? { path: `/v1/patients/${p.patientId}`, key }
            : kind === 'list' ? { path: '/v1/patients?limit=5', key } : { path: `/v1/patients/${p.patientId}/eligibility`, key };
        const at: Phase = phase;
        samples.push({ ...(await call(server.url, opts, agent)), phase: at, kind });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const ready: { at: number; status: number }[] = [];
    const readyLoop = async () => {
      while (running) {
        ready.push({ at: Date.now(), status: (await call(server.url, { path: '/readyz' }, agent)).status });
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const loops = Promise.all([...Array.from({ length: LOOPS }, (_, i) => loop(i)), readyLoop()]);

    await new Promise((r) => setTimeout(r, BASELINE_MS));
    phase = 'outage';
    const stopAt = Date.now();
    await cluster.stop();
    await new Promise((r) => setTimeout(r, SIZES.outageSeconds * 1_000 - (Date.now() - stopAt)));
    await cluster.start();
    const startAt = Date.now();
    phase = 'after';
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() - startAt < RECOVERY_LIMIT_MS) {
      const since = samples.filter((s) => s.startedAt >= startAt);
      if (['book', 'read', 'list', 'eligibility'].every((k) => since.some((s) => s.kind === k && s.status < 300 && s.status >= 200))) recoveredAt = Date.now();
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    running = false;
    await loops;
    agent.destroy();

    const during = samples.filter((s) => s.phase === 'outage');
    const lateAfter = samples.filter((s) => recoveredAt && s.startedAt >= recoveredAt);
    const fiveHundreds = samples.filter((s) => s.status >= 500 && s.status !== 503);
    const bad503 = samples.filter((s) => s.status === 503 && (!isProblem(s) || s.body.code !== 'SERVICE.UNAVAILABLE'));
    const acked = samples.filter((s) => s.kind === 'book' && s.status === 201).map((s) => String(s.body.id));
    const readyDuring = ready.filter((r) => r.at > stopAt + 500 && r.at < startAt);
    const readyLast = ready.at(-1);
    const missing = await missingBookings(cluster.database, acked);
    const invariants = await checkInvariants(cluster.database);

    printFigures('database-outage', {
      outageSeconds: Math.round((startAt - stopAt) / 100) / 10,
      requests: samples.length,
      statusesBefore: tally(samples.filter((s) => s.phase === 'before').map((s) => s.status)),
      statusesDuringOutage: tally(during.map((s) => s.status || s.error || 'none')),
      statusesAfterRestart: tally(samples.filter((s) => s.phase === 'after').map((s) => s.status || s.error || 'none')),
      outageLatencyMs: { p50: percentile(during.map((s) => s.ms), 50), p99: percentile(during.map((s) => s.ms), 99), max: percentile(during.map((s) => s.ms), 100) },
      outageLatencyBoundMs: OUTAGE_MAX_LATENCY_MS,
      readyzDuringOutage: tally(readyDuring.map((r) => r.status)),
      recoveredMsAfterPostgresStart: recoveredAt ? recoveredAt - startAt : 'not recovered',
      statusesAfterRecovery: tally(lateAfter.map((s) => s.status || s.error || 'none')),
      bookingsAcknowledged: acked.length,
      serverErrorLog: server.errorLines().slice(0, 3).map((l) => l.slice(0, 600)),
    });
    expect(fiveHundreds.map((s) => `${s.kind} ${s.status} ${s.text}`)).toEqual([]);
    expect(bad503.map((s) => `${s.kind} ${s.contentType} ${s.text}`)).toEqual([]);
    expect(samples.filter((s) => s.status === 0).map((s) => `${s.kind} ${s.error}`)).toEqual([]);
    expect(during.filter((s) => s.ms > OUTAGE_MAX_LATENCY_MS).map((s) => `${s.kind} ${s.ms} ms`)).toEqual([]);
    expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(0);
    expect(readyDuring.length).toBeGreaterThan(0);
    expect(readyDuring.every((r) => r.status === 503)).toBe(true);
    expect(recoveredAt).toBeGreaterThan(0);
    expect(lateAfter.filter((s) => s.status >= 300).map((s) => `${s.kind} ${s.status} ${s.text}`)).toEqual([]);
    expect(readyLast?.status).toBe(200);
    expect(missing).toEqual({ missing: [], withoutAudit: [] });
    expect(invariants).toEqual(NO_BREAKS);
  });
});
