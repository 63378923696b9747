// `npm run bench:key-cache`: GET /v1/me with an issued key (the bootstrap key needs no lookup) against
// the service with API_KEY_CACHE on and off, alternating, so the cache's effect is measured in one run
// on one machine state. Needs no seed: any migrated database (DATABASE_URL) will do; the service
// migrates it at start.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { startProcess } from './processes.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL database the benchmark may write to');
const ROOT = new URL('..', import.meta.url).pathname;
const ADMIN = 'bench-admin-key-0123456789abcdef-0123';
const PORT = 3490;
const rounds = Number(process.env.ROUNDS ?? 2);
mkdirSync(`${ROOT}bench/out`, { recursive: true });

const rows: { round: number; cache: string; rps: number; p50: number; p99: number; non2xx: number }[] = [];
let key: string | undefined;
for (let round = 1; round <= rounds; round++) {
  for (const cache of ['on', 'off']) {
    const proc = await startProcess(
      `service-cache-${cache}`,
      ['--import', 'tsx', `${ROOT}src/server.ts`],
      {
        DATABASE_URL: url,
        ADMIN_API_KEY: ADMIN,
        PORT: String(PORT),
        LOG_LEVEL: 'warn',
        REPORT_SCHEDULER: 'off',
        RATE_LIMIT_PER_MINUTE: '0',
        API_KEY_CACHE: cache,
        SERVER_SECRET: 'bench-secret-0123456789abcdef-0123456789',
      },
      PORT,
      `${ROOT}bench/out/key-cache-${cache}.log`,
    );
    try {
      if (!key) {
        const res = await fetch(`${proc.url}/v1/api-keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'bench-key-cache', role: 'front_desk' }),
        });
        key = ((await res.json()) as { key: string }).key;
      }
      const opts = { url: `${proc.url}/v1/me`, connections: 50, headers: { authorization: `Bearer ${key}` } };
      await autocannon({ ...opts, duration: 3 });
      const r = await autocannon({ ...opts, duration: 10 });
      rows.push({ round, cache, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx });
    } finally {
      await proc.stop();
    }
  }
}
process.stdout.write(
  `load average at end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')}\n`,
);
process.stdout.write('| round | API_KEY_CACHE | req/s | p50 ms | p99 ms | non-2xx |\n| --: | :-- | --: | --: | --: | --: |\n');
for (const r of rows) process.stdout.write(`| ${r.round} | ${r.cache} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} |\n`);
