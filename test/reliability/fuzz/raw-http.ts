// HTTP/1.1 over a bare TCP socket, so the fuzzer can send what no HTTP client library will: CR/LF in
// headers, bytes that are not UTF-8 in the path, smuggling-shaped framing, bad percent-encoding.
import { connect } from 'node:net';
import type { FuzzRequest } from './requests.ts';

export interface RawAnswer {
  status: number; // 0: no answer (connection closed or timed out)
  contentType: string;
  body: string;
  requestId?: string;
  error?: string;
}

export function encodeRequest(req: FuzzRequest, port: number): Buffer {
  const payload = req.payload === undefined ? undefined : Buffer.isBuffer(req.payload) ? req.payload : Buffer.from(req.payload, 'utf8');
  const lines = [`${req.method} ${req.url} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
  for (const [k, v] of Object.entries(req.headers)) lines.push(`${k}: ${v}`);
  if (payload) lines.push(`content-length: ${payload.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), payload ?? Buffer.alloc(0)]);
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

export function parseAnswer(raw: Buffer): RawAnswer {
  // An interim answer (100 Continue) comes first; the real one follows it.
  while (/^HTTP\/1\.[01] 1\d\d /.test(raw.subarray(0, 16).toString('latin1')) && raw.indexOf('\r\n\r\n') >= 0)
    raw = raw.subarray(raw.indexOf('\r\n\r\n') + 4);
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, contentType: '', body: '', error: raw.length ? 'truncated answer' : 'no answer' };
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let body = raw.subarray(end + 4);
  if (headers.get('transfer-encoding')?.includes('chunked')) body = dechunk(body);
  return { status, contentType: headers.get('content-type') ?? '', body: body.toString('utf8'), requestId: headers.get('x-request-id') };
}

/** Writes the bytes (then half-closes unless `keepOpen`) and reads until the server closes. */
export function rawExchange(port: number, bytes: Buffer, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), timeoutMs);
    let error: string | undefined;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const answer = parseAnswer(Buffer.concat(chunks));
      resolve(error && answer.status === 0 ? { ...answer, error } : answer);
    });
    socket.on('connect', () => {
      socket.write(bytes);
    });
  });
}
