// SIGTERM under load: requests already in flight complete, later ones are refused cleanly, exit is 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { percentile, printFigures, tally } from './support/figures.ts';
import { call, isProblem, makeAgent, type Seen } from './support/http.ts';
import { checkInvariants, missingBookings, NO_BREAKS } from './support/invariants.ts';
import { addDays, bookingBody, createKey, FIRST_BOOKING_DATE, seedPatients } from './support/seed.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const LOOPS = 16;
const LOAD_BEFORE_SIGTERM_MS = 2_000;

describe('graceful shutdown', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await cloneDatabase('stop');
    server = await startServer({ port: 3460, databaseUrl: db.url });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('SIGTERM under load completes the requests in flight and exits 0', async () => {
    const { key } = await createKey(server.url, 'front_desk');
    const patients = await seedPatients(server.url, LOOPS);
    const agent = makeAgent(LOOPS);
    let sigtermAt = Number.POSITIVE_INFINITY;
    const seen: Seen[] = [];
    // Each loop books its own patient every 14 days (always allowed) and reads the patient between.
    const loop = async (i: number) => {
      const p = patients[i]!;
      for (let n = 0; ; n++) {
        const r =
          n % 2 === 0
            ? await call(
                server.url,
                { method: 'POST', path: '/v1/injections', key, body: bookingBody(p, addDays(FIRST_BOOKING_DATE, 14 * n)) },
                agent,
              )
            : await call(server.url, { path: `/v1/patients/${p.patientId}`, key }, agent);
        seen.push(r);
        if (r.status === 0 && Date.now() > sigtermAt) return; // the listener is gone
        if (Date.now() - sigtermAt > 15_000) return;
      }
    };
    const loops = Promise.all(Array.from({ length: LOOPS }, (_, i) => loop(i)));
    await new Promise((r) => setTimeout(r, LOAD_BEFORE_SIGTERM_MS));
    sigtermAt = Date.now();
    server.kill('SIGTERM');
    const exit = await server.exited;
    const exitMs = Date.now() - sigtermAt;
    await loops;
    agent.destroy();

    const before = seen.filter((s) => s.startedAt < sigtermAt);
    const after = seen.filter((s) => s.startedAt >= sigtermAt);
    const inFlight = before.filter((s) => s.startedAt + s.ms >= sigtermAt);
    expect(exit).toEqual({ code: 0, signal: null });
    // Everything sent before the signal got its real answer.
    expect(before.filter((s) => s.status === 0 || s.status >= 500).map((s) => `${s.status} ${s.error ?? s.text}`)).toEqual([]);
    // Afterwards: answered, or refused as unavailable, or the connection was refused; never a 500.
    expect(after.filter((s) => s.status >= 500 && s.status !== 503).map((s) => `${s.status} ${s.text}`)).toEqual([]);
    expect(after.filter((s) => s.status === 503 && !isProblem(s)).map((s) => `${s.contentType} ${s.text}`)).toEqual([]);
    const acked = seen.filter((s) => s.status === 201).map((s) => String(s.body.id));
    expect(await missingBookings(db, acked)).toEqual({ missing: [], withoutAudit: [] });
    expect(await checkInvariants(db)).toEqual(NO_BREAKS);
    expect(server.errorLines()).toEqual([]);

    printFigures('graceful-shutdown', {
      loops: LOOPS,
      requestsBeforeSigterm: before.length,
      inFlightAtSigterm: inFlight.length,
      inFlightCompleted: inFlight.filter((s) => s.status > 0 && s.status < 500).length,
      statusesBefore: tally(before.map((s) => s.status)),
      afterSigterm: tally(after.map((s) => (s.status === 0 ? (s.error ?? 'no answer') : s.status))),
      exit: `code ${exit.code}`,
      exitMsAfterSigterm: exitMs,
      latencyMs: {
        p50: percentile(
          before.map((s) => s.ms),
          50,
        ),
        p99: percentile(
          before.map((s) => s.ms),
          99,
        ),
      },
      bookingsAcknowledged: acked.length,
    });
  });
});
