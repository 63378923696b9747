// `node --import tsx bench/cds-hook.ts [-- --connections 20 --duration 10 --patients 200]`
// Latency of one CDS Hooks appointment-book call through the real server: a fresh database, patients
// each with one completed injection, and a proposed ESI 8 days later (so every answer carries a critical
// R2 card with its suggestion: the full path). Prints req/s, p50 and p99 for the CDS call and, measured in
// the same run for comparison, for the two reads it makes besides its own audited look-up:
// GET /v1/patients/:id/eligibility and GET /v1/patients/:id.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { measure } from './load.ts';
import { startProcess } from './processes.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    'admin-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string', default: 'test_fhir_bench_cds' },
    connections: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    patients: { type: 'string', default: '200' },
    port: { type: 'string', default: '3917' },
  },
});
const ADMIN_KEY = `bench-admin-${randomUUID()}`;
const port = Number(args.port);

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: args['admin-url'] });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${args.database}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${args.database}"`);
  await admin.end();
  const url = new URL(args['admin-url']);
  url.pathname = `/${args.database}`;
  return url.toString();
}

async function main() {
  const databaseUrl = await freshDatabase();
  mkdirSync(`${ROOT}bench/out`, { recursive: true });
  const server = await startProcess(
    'service',
    ['--import', 'tsx', `${ROOT}src/server.ts`],
    { DATABASE_URL: databaseUrl, PORT: String(port), ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'warn', REPORT_SCHEDULER: 'off' },
    port,
    `${ROOT}bench/out/cds-hook-server.log`,
  );
  try {
    const call = async (method: string, path: string, body?: unknown, key = ADMIN_KEY) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, any>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const frontDesk = (await call('POST', '/v1/api-keys', { name: 'bench-front-desk', role: 'front_desk' })).key as string;
    const ids: string[] = [];
    for (let i = 0; i < Number(args.patients); i++) {
      const p = await call('POST', '/v1/patients', {
        mrn: `B-${i}-${randomUUID().slice(0, 8)}`,
        givenName: 'Bench',
        familyName: `Patient${i}`,
        birthDate: '1970-01-01',
      });
      const e = await call('POST', `/v1/patients/${p.id}/episodes`, {
        region: 'lumbar',
        diagnosis: 'L5 radiculopathy',
        conservativeCareStartedOn: '2026-01-05',
        therapies: ['physical_therapy'],
        severity: 'moderate',
        neurologicalSigns: [],
      });
      const inj = await call('POST', '/v1/injections', {
        patientId: p.id,
        episodeId: e.id,
        scheduledAt: '2026-03-02T09:00:00-05:00',
        levels: ['L4-L5'],
        approach: 'transforaminal',
        side: 'left',
      });
      await call('POST', `/v1/injections/${inj.id}/complete`, { performedAt: '2026-03-02T09:20:00-05:00' });
      ids.push(p.id as string);
    }
    let n = 0;
    const nextId = () => ids[n++ % ids.length]!;
    const headers = { authorization: `Bearer ${frontDesk}` };
    const opts = { connections: Number(args.connections), duration: Number(args.duration), warmup: Number(args.warmup), databaseUrl };
    const cds = await measure(
      [server.url],
      {
        name: 'cds appointment-book',
        headers,
        expect: 200,
        next: () => ({
          method: 'POST',
          path: '/cds-services/esi-appointment-check',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            hook: 'appointment-book',
            hookInstance: randomUUID(),
            context: {
              userId: 'PractitionerRole/1',
              patientId: nextId(),
              appointments: [
                {
                  resourceType: 'Appointment',
                  status: 'proposed',
                  serviceType: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '64483' }] }],
                  start: '2026-03-10T09:00:00-05:00',
                  end: '2026-03-10T09:30:00-05:00',
                },
              ],
            },
          }),
        }),
      },
      opts,
    );
    const eligibility = await measure(
      [server.url],
      {
        name: 'eligibility',
        headers,
        expect: 200,
        next: () => ({ method: 'GET', path: `/v1/patients/${nextId()}/eligibility?on=2026-03-10` }),
      },
      opts,
    );
    const detail = await measure(
      [server.url],
      { name: 'patient detail', headers, expect: 200, next: () => ({ method: 'GET', path: `/v1/patients/${nextId()}` }) },
      opts,
    );
    for (const m of [cds, eligibility, detail]) {
      process.stdout.write(
        `${m.name.padEnd(22)} ${opts.connections} connections: ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  (${m.requests} requests, ${m.unexpected} unexpected, ${m.errors} errors)\n`,
      );
    }
  } finally {
    await server.stop();
  }
}

await main();
