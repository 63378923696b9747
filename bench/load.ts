// One measured load: autocannon at a fixed number of connections for a fixed time, after a short
// warm-up that is not counted (JIT, connection pool, PostgreSQL's buffer cache). When the warm-up ends
// autocannon abandons its in-flight requests, but the server keeps running them (and the requests queued
// behind them for a pooled connection): measured at once, the first seconds would pay for the warm-up's
// leftovers. So the measurement starts only once the server and the database are idle again.
import autocannon, { type RawRequest } from 'autocannon';
import pg from 'pg';

export interface Target {
  name: string;
  /** Called once per request; must rotate so each request touches a different patient. */
  next: () => RawRequest;
  /** The status a correct answer has (anything else is counted and reported). */
  expect: number;
  headers: Record<string, string>;
}

export interface Measurement {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  unexpected: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** Median over rounds of the ratio to each baseline measured in the same round. */
  ratioPlain?: number;
  ratioAudited?: number;
}

async function fire(urls: string[], target: Target, connections: number, duration: number) {
  return autocannon({
    url: urls.length === 1 ? urls[0]! : urls,
    connections,
    duration,
    timeout: 10,
    headers: target.headers,
    requests: [{ setupRequest: (req) => ({ ...req, ...target.next() }) }],
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until nothing is left running: no statement active in the database other than this probe's
 * (sampled three times in a row, 25 ms apart: a request still queued for a pooled connection starts
 * one in between), then each server answers its readiness probe. Returns how long it waited.
 */
export async function drain(urls: string[], databaseUrl: string, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-drain' });
  await client.connect();
  try {
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() - started > timeoutMs) throw new Error(`the server was still busy ${timeoutMs / 1000} s after the warm-up`);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            AND state <> 'idle' AND application_name <> 'bench-drain'`,
      );
      quiet = rows[0]?.n === 0 ? quiet + 1 : 0;
      await sleep(25);
    }
  } finally {
    await client.end();
  }
  for (const url of urls) await fetch(`${url}/readyz`);
  return Date.now() - started;
}

export async function measure(
  urls: string[],
  target: Target,
  opts: { connections: number; duration: number; warmup: number; databaseUrl: string },
): Promise<Measurement> {
  if (opts.warmup > 0) {
    await fire(urls, target, opts.connections, opts.warmup);
    await drain(urls, opts.databaseUrl);
  }
  const r = await fire(urls, target, opts.connections, opts.duration);
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const expected = statusCodes[String(target.expect)] ?? 0;
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    name: target.name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: total,
    unexpected: total - expected,
    errors: r.errors + r.timeouts,
    statusCodes,
  };
}
