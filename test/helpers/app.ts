// Builds the real app on a fresh database for one test file, plus factories that create unique rows.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDatabase, type Database } from '../../src/db/prisma.ts';
import { cloneTestDatabase, type TestDatabase } from './database.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef-0123456789';
/** Shared by every instance a test builds on one database, as SERVER_SECRET is in production. */
export const TEST_SERVER_SECRET = 'test-server-secret-0123456789abcdef-xyz';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  testDb: TestDatabase;
  config: Config;
  logs: string[];
  /** Moves the app's clock; undefined returns to real time. */
  setNow(iso: string | undefined): void;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clinicTimeZone?: string;
  now?: string;
  logLevel?: Config['logLevel'];
  authFailuresPerMinute?: number;
  /** Further environment variables for loadConfig (e.g. PUBLIC_URL, CDS_CLIENTS_FILE). */
  env?: Record<string, string>;
  /** Requests per minute per key; off (0) unless a test is about the limit. */
  rateLimitPerMinute?: number;
  /** A folder of coverage policy files instead of the shipped policies/ */
  policiesDir?: string;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await cloneTestDatabase();
  const config = loadConfig({
    DATABASE_URL: testDb.servingUrl,
    DATABASE_OWNER_URL: testDb.url,
    CLINIC_TIMEZONE: opts.clinicTimeZone ?? 'America/New_York',
    ADMIN_API_KEY: ADMIN_KEY,
    SERVER_SECRET: TEST_SERVER_SECRET,
    RATE_LIMIT_PER_MINUTE: String(opts.rateLimitPerMinute ?? 0),
    LOG_LEVEL: opts.logLevel ?? 'warn',
    REPORT_SCHEDULER: 'off',
    ...(opts.policiesDir ? { POLICIES_DIR: opts.policiesDir } : {}),
    ...opts.env,
  });
  const db = createDatabase({ url: testDb.servingUrl, poolSize: 10 });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  let now: string | undefined = opts.now;
  const app = await buildApp({
    config,
    db,
    logStream,
    clock: () => (now ? new Date(now) : new Date()),
    authFailuresPerMinute: opts.authFailuresPerMinute ?? 1000,
    serveDashboard: false,
  });
  return {
    app,
    db,
    testDb,
    config,
    logs,
    setNow(iso) {
      now = iso;
    },
    async close() {
      await app.close();
      await db.close();
      await testDb.drop();
    },
  };
}

export const auth = (key: string = ADMIN_KEY) => ({ authorization: `Bearer ${key}` });

let seq = 0;
export const uniqueMrn = () => `T-${randomUUID().slice(0, 8)}-${++seq}`;

/** Factories through the public API, so every row passes the same validation a client's would. */
export function factories(app: FastifyInstance, key: string = ADMIN_KEY) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: auth(key), ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : {}, headers: res.headers };
  };
  return {
    call,
    async patient(overrides: Record<string, unknown> = {}) {
      const r = await call('POST', '/v1/patients', {
        mrn: uniqueMrn(),
        givenName: 'Test',
        familyName: 'Patient',
        birthDate: '1970-01-01',
        ...overrides,
      });
      if (r.status !== 201) throw new Error(`patient factory: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { id: string; mrn: string };
    },
    async episode(patientId: string, overrides: Record<string, unknown> = {}) {
      const r = await call('POST', `/v1/patients/${patientId}/episodes`, {
        region: 'lumbar',
        diagnosis: 'L5 radiculopathy',
        conservativeCareStartedOn: '2027-01-04',
        therapies: ['physical_therapy'],
        severity: 'moderate',
        neurologicalSigns: [],
        ...overrides,
      });
      if (r.status !== 201) throw new Error(`episode factory: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as { id: string };
    },
    /** A patient with an open episode whose 6-week trial ended on 2027-02-15 (started 2027-01-04).
     * Unless `allowInjections: null`, a clinician's consultation allows the episode that many counted
     * injections (default 12), so tests about intervals are not about R5. */
    async patientWithEpisode(episode: Record<string, unknown> = {}, opts: { allowInjections?: number | null } = {}) {
      const p = await this.patient();
      const e = await this.episode(p.id, episode);
      const allow = opts.allowInjections === undefined ? 12 : opts.allowInjections;
      if (allow !== null) await this.consult(e.id, allow);
      return { patientId: p.id, episodeId: e.id };
    },
    /** Records a consultation (as the bootstrap admin, whatever key the factories use). */
    async consult(episodeId: string, allowInjections: number, note = 'Agreed further injections') {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/episodes/${episodeId}/consultations`,
        headers: auth(ADMIN_KEY),
        payload: { allowInjections, note },
      });
      if (res.statusCode !== 201) throw new Error(`consultation factory: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body) as { id: string; allowInjections: number };
    },
    book(patientId: string, episodeId: string, scheduledAt: string, extra: Record<string, unknown> = {}) {
      return call('POST', '/v1/injections', {
        patientId,
        episodeId,
        scheduledAt,
        level: 'L4-L5',
        approach: 'transforaminal',
        side: 'left',
        ...extra,
      });
    },
    async apiKey(role: 'front_desk' | 'clinician' | 'auditor' | 'admin') {
      const r = await call('POST', '/v1/api-keys', { name: `${role}-${randomUUID().slice(0, 6)}`, role });
      if (r.status !== 201) throw new Error(`apiKey factory: ${r.status}`);
      return r.body as { id: string; key: string };
    },
  };
}
