// `npm run bench [-- --duration 10 --rounds 3 --connections 50 --pool 10 --instances 1 --only eligibility,patient --database-url URL]`
// Builds the production bundle, seeds (or reuses) the esi_bench database, starts the real server and the
// bare baselines, loads each endpoint in turn and prints req/s, p50, p99 and the ratios to the baselines,
// the server's peak RSS and a verdict per target; writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { patientCount, plusDays, prepareFixtures, revokeKey, type Fixtures } from './fixtures.ts';
import { measure, type Measurement, type Target } from './load.ts';
import { startProcess, type Proc } from './processes.ts';
import { formatLine, verdicts } from './report.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = `${ROOT}bench/out`;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    pool: { type: 'string', default: '10' },
    instances: { type: 'string', default: '1' },
    only: { type: 'string' },
    'database-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/esi_bench' },
    patients: { type: 'string', default: '100000' },
    injections: { type: 'string', default: '1000000' },
    reseed: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    /** Extra V8/Node flags for the service, e.g. --max-semi-space-size=32 */
    'node-flags': { type: 'string', default: '' },
  },
});
const url = args['database-url'];
const opts = { duration: Number(args.duration), warmup: Number(args.warmup), connections: Number(args.connections) };
const loadOpts = { ...opts, databaseUrl: args['database-url'] };
const instances = Number(args.instances);

/** The measurement with the median throughput (its own latencies kept with it). */
function median(ms: Measurement[]): Measurement {
  return [...ms].sort((a, b) => a.rps - b.rps)[Math.floor((ms.length - 1) / 2)]!;
}

function run(cmd: string, cmdArgs: string[]): void {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed`);
}

function targets(f: Fixtures, app: string[], base: string[]): { target: Target; urls: string[] }[] {
  const headers = { authorization: `Bearer ${f.key}` };
  let i = 0;
  const nextId = () => f.readIds[i++ % f.readIds.length]!;
  let b = 0;
  const book = (idempotent: boolean) => () => {
    const n = b++;
    const slot = f.bookings[n % f.bookings.length]!;
    // Every pass over the patients books 21 days after the previous pass: R2 holds, each booking succeeds.
    const date = plusDays(f.bookingFrom, 21 * Math.floor(n / f.bookings.length));
    return {
      method: 'POST',
      path: '/v1/injections',
      headers: { ...headers, 'content-type': 'application/json', ...(idempotent ? { 'idempotency-key': randomUUID() } : {}) },
      body: JSON.stringify({ ...slot, scheduledAt: `${date}T15:00:00Z`, level: 'L4-L5', approach: 'transforaminal', side: 'left' }),
    };
  };
  const get = (name: string, urls: string[], path: () => string) => ({
    target: { name, headers, expect: 200, next: () => ({ method: 'GET', path: path() }) },
    urls,
  });
  return [
    get('baseline plain', base, () => `/plain/${nextId()}`),
    get('baseline audited', base, () => `/audited/${nextId()}`),
    // Diagnostic, not a target: the framework and the key lookup alone, the ceiling for every /v1 read.
    get('me (auth only)', app, () => '/v1/me'),
    get('eligibility', app, () => `/v1/patients/${nextId()}/eligibility`),
    get('patient', app, () => `/v1/patients/${nextId()}`),
    get('history', app, () => `/v1/patients/${nextId()}/injections`),
    // The first page (100, the default) of the busiest day, as the dashboard's Today view asks for it.
    get('schedule', app, () => `/v1/schedule?date=${f.busyDay}`),
    { target: { name: 'booking', headers, expect: 201, next: book(false) }, urls: app },
    // As front-desk software that retries safely sends it: two more statements (record, then answer).
    { target: { name: 'booking+idemkey', headers, expect: 201, next: book(true) }, urls: app },
  ];
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (!args['no-build']) run('npm', ['run', '--silent', 'build']);
  const have = await patientCount(url);
  if (args.reseed || have < Number(args.patients)) {
    run('npm', [
      'run',
      '--silent',
      'seed',
      '--',
      '--patients',
      args.patients,
      '--injections',
      args.injections,
      '--database-url',
      url,
      '--reset',
    ]);
  } else {
    console.log(`Reusing ${new URL(url).pathname.slice(1)} (${have} patients); --reseed to start over`);
  }
  // No per-key rate limit: the benchmark drives one key far past a front desk's pace.
  const env = {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: args.pool,
    LOG_LEVEL: 'info',
    REPORT_SCHEDULER: 'off',
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  const procs: Proc[] = [];
  const f = await prepareFixtures(url, 60_000);
  try {
    procs.push(
      await startProcess(
        'baseline',
        ['--import', 'tsx', `${ROOT}bench/baseline-server.ts`],
        { ...env, BASELINE_PORT: '3420' },
        3420,
        `${OUT}/baseline.log`,
      ),
    );
    for (let n = 0; n < instances; n++) {
      const prof = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${OUT}/profiles`] : [];
      const flags = args['node-flags'].split(' ').filter(Boolean);
      procs.push(
        await startProcess(
          `server${n + 1}`,
          [...flags, ...prof, `${ROOT}dist/src/server.js`],
          { ...env, PORT: String(3410 + n) },
          3410 + n,
          `${OUT}/server${n + 1}.log`,
        ),
      );
    }
    const [baseline, ...servers] = procs;
    console.log(
      `${f.counts.patients} patients, ${f.counts.injections} injections; busy day ${f.busyDay} (${f.busyDayCount} injections); ` +
        `${instances} instance(s), pool ${args.pool}, ${opts.connections} connections, ${opts.duration} s each (+${opts.warmup} s warm-up), ${cpus().length} cores, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    const only = args.only?.split(',');
    const plan = targets(
      f,
      servers.map((s) => s.url),
      [baseline!.url],
    ).filter(({ target }) => !only || target.name.startsWith('baseline') || only.includes(target.name));
    // Several rounds, each target's median taken: the machine is shared, so one phase can be unlucky.
    const rounds: Measurement[][] = [];
    for (let r = 0; r < Number(args.rounds); r++) {
      const round: Measurement[] = [];
      for (const { target, urls } of plan) {
        const m = await measure(urls, target, loadOpts);
        round.push(m);
        console.log(`${Number(args.rounds) > 1 ? `[${r + 1}] ` : ''}${formatLine(m, round)}`);
      }
      rounds.push(round);
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const results = plan.map(({ target }) => {
      const per = rounds.map((round) => ({ m: round.find((x) => x.name === target.name)!, plain: round[0]!.rps, audited: round[1]!.rps }));
      // Ratios within each round (baselines measured minutes, not a whole run, apart), then their median.
      return {
        ...median(per.map((p) => p.m)),
        ratioPlain: mid(per.map((p) => p.m.rps / p.plain)),
        ratioAudited: mid(per.map((p) => p.m.rps / p.audited)),
      };
    });
    if (rounds.length > 1) {
      console.log(`-- median of ${rounds.length} rounds (ratios: median of each round's own ratio)`);
      for (const m of results) console.log(formatLine(m, results));
    }
    const rssMb = Math.max(...servers.map((s) => s.peakRssMb()));
    console.log(`server peak RSS (VmHWM): ${rssMb.toFixed(0)} MB`);
    const verdict = verdicts(results, rssMb);
    for (const v of verdict) console.log(`${v.ok ? 'MET   ' : 'MISSED'} ${v.text}`);
    const file = instances === 1 ? `${ROOT}bench/results.json` : `${ROOT}bench/results-${instances}-instances.json`;
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), command: process.argv.slice(2), cores: cpus().length, loadAverage: loadavg(), instances, pool: Number(args.pool), rounds: rounds.length, ...opts, data: { ...f.counts, busyDay: f.busyDay, busyDayCount: f.busyDayCount }, results, peakRssMb: Math.round(rssMb), verdicts: verdict }, null, 2)}\n`,
    );
    console.log(`wrote ${file.slice(ROOT.length)}`);
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await revokeKey(url, f.keyId);
  }
}

main().catch((err: unknown) => {
  console.error(`Benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
