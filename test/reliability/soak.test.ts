// Sustained mixed traffic at about 70 % of the maximum measured just before: no error, memory flat
// (RSS at start and end), p99 per window. Full profile: 5 minutes in 1-minute windows; short: 20 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { percentile, printFigures } from './support/figures.ts';
import { call } from './support/http.ts';
import { checkInvariants, NO_BREAKS } from './support/invariants.ts';
import { clinicMix, runLoad } from './support/load.ts';
import { PROFILE, SIZES } from './support/profile.ts';
import { createKey, seedPatients } from './support/seed.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const CONNECTIONS = 16;
const SHARE_OF_MAX = 0.7;

describe('soak', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await cloneDatabase('soak');
    server = await startServer({ port: 3490, databaseUrl: db.url });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it(`holds ${SIZES.soakSeconds} s of mixed traffic at ${SHARE_OF_MAX * 100} % of the measured maximum`, async () => {
    const { key } = await createKey(server.url, 'front_desk');
    const patients = await seedPatients(server.url, SIZES.soakPatients);
    const rssCold = server.rssMiB();
    // One mix for both runs: its booking counter carries on, so no date is booked twice.
    const mix = clinicMix(patients, key);

    // The maximum: as fast as the server answers, same mix, same connections.
    const probe = await runLoad({ url: server.url, connections: CONNECTIONS, duration: SIZES.maxProbeSeconds, requests: mix });
    const maxRps = Math.round(probe.requests.total / SIZES.maxProbeSeconds);
    const rate = Math.max(1, Math.round(maxRps * SHARE_OF_MAX));

    const windows = Math.round(SIZES.soakSeconds / SIZES.soakWindowSeconds);
    const latencies: number[][] = Array.from({ length: windows }, () => []);
    const statuses = new Map<number, number>();
    const rss: number[] = [server.rssMiB()];
    const started = Date.now();
    const sampler = setInterval(() => rss.push(server.rssMiB()), SIZES.soakWindowSeconds * 1_000);
    const run = runLoad({
      url: server.url,
      connections: CONNECTIONS,
      duration: SIZES.soakSeconds,
      overallRate: rate,
      timeout: 10,
      requests: mix,
    });
    run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      const w = Math.min(windows - 1, Math.floor((Date.now() - started) / (SIZES.soakWindowSeconds * 1_000)));
      latencies[w]!.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const soak = await run;
    clearInterval(sampler);
    rss.push(server.rssMiB());
    const ready = await call(server.url, { path: '/readyz' });
    const invariants = await checkInvariants(db);
    const [{ n }] = (await db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events`)) as [{ n: string }];

    printFigures('soak', {
      durationSeconds: SIZES.soakSeconds,
      patients: patients.length,
      connections: CONNECTIONS,
      measuredMaxRps: maxRps,
      maxProbe: { seconds: SIZES.maxProbeSeconds, p99Ms: probe.latency.p99, errors: probe.errors, non2xx: probe.non2xx },
      targetRps: rate,
      achievedRps: Math.round(soak.requests.total / SIZES.soakSeconds),
      requests: soak.requests.total,
      statuses: Object.fromEntries(statuses),
      errors: soak.errors,
      timeouts: soak.timeouts,
      non2xx: soak.non2xx,
      p99MsPerWindow: latencies.map((l) => percentile(l, 99)),
      p50MsPerWindow: latencies.map((l) => percentile(l, 50)),
      windowSeconds: SIZES.soakWindowSeconds,
      rssMiB: { cold: rssCold, start: rss[0], end: rss.at(-1), samples: rss },
      auditEventsWritten: Number(n),
    });
    expect(probe.errors + probe.timeouts + probe.non2xx).toBe(0);
    expect([soak.errors, soak.timeouts, soak.non2xx]).toEqual([0, 0, 0]);
    expect([...statuses.keys()].filter((s) => s >= 300)).toEqual([]);
    expect(ready.status).toBe(200);
    expect(invariants).toEqual(NO_BREAKS);
    expect(server.errorLines()).toEqual([]);
    // Flat memory: after the first window (warm-up: JIT, pools, caches) RSS stays within 50 %; over the
    // ~50,000 requests of the full soak, a leak of about 3 KiB per request would already break it.
    if (PROFILE === 'full') expect(rss.at(-1)!).toBeLessThan(rss[1]! * 1.5);
  });
});
