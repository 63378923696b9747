// A small HTTP client over real sockets (node:http, keep-alive) that never throws for a status: each
// call resolves to what the client saw, including network errors and how long it took.
import { Agent, request as httpRequest } from 'node:http';
import { CLIENT_TIMEOUT_MS } from './profile.ts';

export interface Seen {
  status: number; // 0 when no response arrived (refused, reset, timeout)
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
  error?: string;
  startedAt: number;
  ms: number;
}

export interface CallOptions {
  method?: string;
  path: string;
  key?: string;
  body?: unknown;
  /** Raw body bytes, sent as they are (with the given content type). */
  raw?: Buffer | string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  timeoutMs?: number;
}

export function makeAgent(maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

const defaultAgent = makeAgent();

export function call(base: string, opts: CallOptions, agent: Agent = defaultAgent): Promise<Seen> {
  const startedAt = Date.now();
  const url = new URL(base);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let payload: Buffer | undefined;
  if (opts.raw !== undefined) payload = Buffer.isBuffer(opts.raw) ? opts.raw : Buffer.from(opts.raw, 'utf8');
  else if (opts.body !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  if (payload) headers['content-length'] = String(payload.length);
  return new Promise((resolve) => {
    const done = (partial: Partial<Seen>) =>
      resolve({ status: 0, contentType: '', headers: {}, text: '', body: undefined, ...partial, startedAt, ms: Date.now() - startedAt });
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers,
        agent,
        timeout: opts.timeoutMs ?? CLIENT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => done({ error: err.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '');
          let body: unknown;
          try {
            body = text && contentType.includes('json') ? JSON.parse(text) : text;
          } catch {
            body = text;
          }
          done({ status: res.statusCode ?? 0, contentType, headers: res.headers, text, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`client timeout after ${opts.timeoutMs ?? CLIENT_TIMEOUT_MS} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    req.end(payload);
  });
}

export const isProblem = (s: Seen) =>
  s.contentType.startsWith('application/problem+json') &&
  typeof s.body === 'object' &&
  s.body !== null &&
  typeof s.body.code === 'string' &&
  s.body.status === s.status;

/** Runs `tasks` with at most `limit` in flight; results keep the tasks' order. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, stepMs = 200): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
