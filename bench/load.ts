// One measured load: autocannon at a fixed number of connections for a fixed time, after a short
// warm-up that is not counted (JIT, connection pool, PostgreSQL's buffer cache).
import autocannon, { type RawRequest } from 'autocannon';

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

export async function measure(
  urls: string[],
  target: Target,
  opts: { connections: number; duration: number; warmup: number },
): Promise<Measurement> {
  if (opts.warmup > 0) await fire(urls, target, opts.connections, opts.warmup);
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
