// PostgreSQL (a cluster of this test's own) taken away under load, twice, with no restart of the app:
// stopped for 10 s (connections refused), then frozen with SIGSTOP (connections hang, as on a hung host
// or a network partition). Requests fail fast with a 503 problem, /readyz says 503, and service comes
// back by itself when PostgreSQL does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownCluster, type OwnCluster } from './support/databases.ts';
import { percentile, printFigures, tally } from './support/figures.ts';
import { isProblem } from './support/http.ts';
import { checkInvariants, missingBookings, NO_BREAKS } from './support/invariants.ts';
import { outageLoad } from './support/outage-load.ts';
import { SIZES } from './support/profile.ts';
import { createKey, seedPatients, type SeededPatient } from './support/seed.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

/** The bound this suite holds the service to while its database is away (docs/reliability.md). */
const OUTAGE_MAX_LATENCY_MS = 5_000;
/** While it is frozen: a request that waited for a connection (3 s) and then for its query (the pool's
 * 5 s query timeout), with room for a busy machine — under the 10 s freeze, so none is held for it. */
const FROZEN_MAX_LATENCY_MS = 9_000;
/** DATABASE_POOL_SIZE's default: the server process runs with it. */
const POOL_SIZE = 10;
const BASELINE_MS = 3_000;
const RECOVERY_LIMIT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('database outage', () => {
  let cluster: OwnCluster;
  let server: ServerProcess;
  let deskKey: string;
  let patients: SeededPatient[];

  beforeAll(async () => {
    cluster = await ownCluster(55401);
    server = await startServer({ port: 3470, databaseUrl: cluster.database.url });
    deskKey = (await createKey(server.url, 'front_desk')).key;
    patients = await seedPatients(server.url, 8);
  });

  afterAll(async () => {
    await server?.stop();
    await cluster?.destroy();
  });

  /** `latencyBound`: no request started in the outage may take longer (undefined: measured only). */
  async function underOutage(
    name: string,
    dayOffset: number,
    latencyBound: number | undefined,
    takeAway: () => Promise<void>,
    giveBack: () => Promise<void>,
  ) {
    const load = outageLoad(server.url, patients, deskKey, name, dayOffset);
    await sleep(BASELINE_MS);
    load.setPhase('outage');
    const stopAt = Date.now();
    await takeAway();
    await sleep(SIZES.outageSeconds * 1_000 - (Date.now() - stopAt));
    await giveBack();
    const startAt = Date.now();
    load.setPhase('after');
    let recoveredAt = 0;
    while (!recoveredAt && Date.now() - startAt < RECOVERY_LIMIT_MS) {
      if (load.recoveredSince(startAt)) recoveredAt = Date.now();
      else await sleep(100);
    }
    await sleep(2_000);
    await load.stop();

    const { samples, ready } = load;
    const during = samples.filter((s) => s.phase === 'outage');
    const freshDuring = during.filter((s) => s.kind === 'fresh');
    const lateAfter = samples.filter((s) => recoveredAt && s.startedAt >= recoveredAt);
    // Probes sent and answered while PostgreSQL was away (one answered after it came back may say 200).
    const readyDuring = ready.filter((r) => r.at > stopAt + 500 && r.end < startAt);
    const acked = samples.filter((s) => s.kind === 'book' && s.status === 201).map((s) => String(s.body.id));
    printFigures(`database-outage-${name}`, {
      outageSeconds: Math.round((startAt - stopAt) / 100) / 10,
      requests: samples.length,
      statusesBefore: tally(samples.filter((s) => s.phase === 'before').map((s) => s.status)),
      statusesDuringOutage: tally(during.map((s) => s.status || s.error || 'none')),
      outageLatencyMs: {
        p50: percentile(
          during.map((s) => s.ms),
          50,
        ),
        p99: percentile(
          during.map((s) => s.ms),
          99,
        ),
        max: percentile(
          during.map((s) => s.ms),
          100,
        ),
      },
      outageLatencyBoundMs:
        latencyBound ?? `none for requests holding a connection (at most ${POOL_SIZE}); ${OUTAGE_MAX_LATENCY_MS} for the others`,
      newRequestsDuringOutage: {
        statuses: tally(freshDuring.map((s) => s.status || s.error || 'none')),
        overBound: freshDuring.filter((s) => s.ms > OUTAGE_MAX_LATENCY_MS).length,
        p50Ms: percentile(
          freshDuring.map((s) => s.ms),
          50,
        ),
        maxMs: percentile(
          freshDuring.map((s) => s.ms),
          100,
        ),
      },
      readyzDuringOutage: tally(readyDuring.map((r) => r.status)),
      recoveredMsAfterPostgresBack: recoveredAt ? recoveredAt - startAt : 'not recovered',
      statusesAfterRecovery: tally(lateAfter.map((s) => s.status || s.error || 'none')),
      bookingsAcknowledged: acked.length,
      serverErrorLog: server
        .errorLines()
        .slice(0, 3)
        .map((l) => l.slice(0, 600)),
    });
    expect(samples.filter((s) => s.status >= 500 && s.status !== 503).map((s) => `${s.kind} ${s.status} ${s.text}`)).toEqual([]);
    expect(
      samples.filter((s) => s.status === 503 && (!isProblem(s) || s.body.code !== 'SERVICE.UNAVAILABLE')).map((s) => `${s.kind} ${s.text}`),
    ).toEqual([]);
    expect(samples.filter((s) => s.status === 0).map((s) => `${s.kind} ${s.error}`)).toEqual([]);
    if (latencyBound !== undefined) {
      expect(during.filter((s) => s.ms > latencyBound).map((s) => `${s.kind} ${s.ms} ms ${s.status}`)).toEqual([]);
    } else {
      // Only requests that already hold one of the pool's connections wait with a hung database; every
      // other new request is refused once the pool's connect timeout (3 s) passes.
      expect(freshDuring.filter((s) => s.ms > OUTAGE_MAX_LATENCY_MS).length).toBeLessThanOrEqual(POOL_SIZE);
    }
    expect(freshDuring.filter((s) => s.status === 503).length).toBeGreaterThan(0);
    expect(readyDuring.length).toBeGreaterThan(0);
    expect(readyDuring.filter((r) => r.status !== 503)).toEqual([]);
    expect(recoveredAt).toBeGreaterThan(0);
    expect(lateAfter.filter((s) => s.status >= 300).map((s) => `${s.kind} ${s.status} ${s.text}`)).toEqual([]);
    expect(ready.at(-1)?.status).toBe(200);
    expect(await missingBookings(cluster.database, acked)).toEqual({ missing: [], withoutAudit: [] });
    expect(await checkInvariants(cluster.database)).toEqual(NO_BREAKS);
    expect(server.errorLines()).toEqual([]);
  }

  it('PostgreSQL stopped for 10 s: 503 problems at once, /readyz 503, service back by itself', async () => {
    await underOutage(
      'stopped',
      0,
      OUTAGE_MAX_LATENCY_MS,
      () => cluster.stop(),
      () => cluster.start(),
    );
  });

  // A hung host: the kernel still accepts and acknowledges, nothing answers. Requests already waiting
  // on a query end at the pool's query timeout, the others at its connect timeout: every request of
  // the outage is answered (503) well before the freeze ends; no 500, /readyz 503 within its own 2 s
  // limit, nothing acknowledged lost, and recovery without a restart.
  it('PostgreSQL frozen for 10 s (SIGSTOP): every request 503 within seconds, no 500, nothing lost, service back by itself', async () => {
    let frozen: number[] = [];
    await underOutage(
      'frozen',
      14 * 1_000,
      FROZEN_MAX_LATENCY_MS,
      async () => {
        // The postmaster first, so it forks no backend after the list is taken.
        const [postmaster] = cluster.pids();
        process.kill(postmaster!, 'SIGSTOP');
        frozen = cluster.pids();
        for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      },
      async () => {
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
      },
    );
  });
});
