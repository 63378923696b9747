// Hand-written malformed HTTP the generated requests cannot express: header injection, framing that
// request smuggling relies on, bytes that are not UTF-8 in the request line, oversized heads.
export interface ProtocolCase {
  label: string;
  bytes: Buffer;
  /** The server may rightly close without answering (it is still waiting for a body that never comes). */
  mayGoUnanswered?: boolean;
}

export function protocolCases(port: number, key: string): ProtocolCase[] {
  const host = `host: 127.0.0.1:${port}`;
  const auth = `authorization: Bearer ${key}`;
  const text = (label: string, s: string, mayGoUnanswered = false): ProtocolCase => ({
    label,
    bytes: Buffer.from(s, 'latin1'),
    mayGoUnanswered,
  });
  const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\n${host}\r\n${auth}\r\nconnection: close\r\n${extra}\r\n`;
  const post = (path: string, headers: string, body: string) =>
    `POST ${path} HTTP/1.1\r\n${host}\r\n${auth}\r\nconnection: close\r\n${headers}\r\n${body}`;
  return [
    text('CR inside a header value', get('/v1/me', 'x-request-id: abc\rinjected: 1\r\n')),
    text(
      'LF inside a header value',
      `GET /v1/me HTTP/1.1\r\n${host}\r\n${auth}\r\nx-request-id: abc\ninjected: 1\r\nconnection: close\r\n\r\n`,
    ),
    text('NUL inside a header value', get('/v1/me', 'x-request-id: a\u0000b\r\n')),
    text(
      'CR/LF inside the authorization header',
      `GET /v1/me HTTP/1.1\r\n${host}\r\nauthorization: Bearer ${key}\r\nx-admin: 1\r\nconnection: close\r\n\r\n`,
    ),
    text('obsolete line folding', get('/v1/me', 'x-request-id: abc\r\n  folded\r\n')),
    text('header name with a space', get('/v1/me', 'bad header: x\r\n')),
    text(
      'two different Content-Length headers',
      post('/v1/patients', 'content-type: application/json\r\ncontent-length: 2\r\ncontent-length: 10\r\n', '{}'),
    ),
    text(
      'Content-Length with Transfer-Encoding (smuggling shape)',
      post(
        '/v1/patients',
        'content-type: application/json\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n',
        '0\r\n\r\nGET /v1/me HTTP/1.1\r\n\r\n',
      ),
    ),
    text(
      'invalid chunk size',
      post('/v1/patients', 'content-type: application/json\r\ntransfer-encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'),
    ),
    text(
      'overflowing chunk size',
      post('/v1/patients', 'content-type: application/json\r\ntransfer-encoding: chunked\r\n', 'ffffffffffffffffff\r\n{}\r\n0\r\n\r\n'),
    ),
    text('negative Content-Length', post('/v1/patients', 'content-type: application/json\r\ncontent-length: -1\r\n', '{}')),
    text(
      'Content-Length larger than the body',
      post('/v1/patients', 'content-type: application/json\r\ncontent-length: 100\r\n', '{}'),
      true,
    ),
    text('method with invalid characters', `G@T /v1/me HTTP/1.1\r\n${host}\r\nconnection: close\r\n\r\n`),
    text('unknown method', `BREW /v1/me HTTP/1.1\r\n${host}\r\n${auth}\r\nconnection: close\r\n\r\n`),
    text('HTTP/1.1 without Host', `GET /v1/me HTTP/1.1\r\n${auth}\r\nconnection: close\r\n\r\n`),
    text('HTTP/1.0 request', `GET /v1/me HTTP/1.0\r\n${auth}\r\n\r\n`),
    text('absolute-form URL to another host', `GET http://evil.example/v1/me HTTP/1.1\r\n${host}\r\n${auth}\r\nconnection: close\r\n\r\n`),
    text('asterisk-form request', `OPTIONS * HTTP/1.1\r\n${host}\r\nconnection: close\r\n\r\n`),
    text('raw space in the path', get('/v1/pat ients')),
    {
      label: 'bytes that are not UTF-8 in the path',
      bytes: Buffer.concat([
        Buffer.from('GET /v1/patients/'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(` HTTP/1.1\r\n${host}\r\n${auth}\r\nconnection: close\r\n\r\n`),
      ]),
    },
    { label: 'raw UTF-8 in the path', bytes: Buffer.from(get('/v1/patients/é-ü-😀'), 'utf8') },
    text('bad percent-encoding: lone %', get('/v1/patients/%')),
    text('bad percent-encoding: truncated sequence', get('/v1/patients/%E0%A4%A')),
    text('bad percent-encoding: overlong slash', get('/v1/patients/%C0%AF')),
    text('bad percent-encoding in the query', get('/v1/patients?q=%E0%A4%A&limit=%')),
    text('percent-encoded NUL in the path', get('/v1/patients/%00')),
    text('encoded traversal', get('/v1/patients/..%2F..%2F..%2Fetc%2Fpasswd')),
    text('dot segments', get('/v1/../v1/me')),
    text('header of 20 KB', get('/v1/me', `x-big: ${'a'.repeat(20_000)}\r\n`)),
    text('two hundred headers', get('/v1/me', Array.from({ length: 200 }, (_, i) => `x-h${i}: ${i}\r\n`).join(''))),
    text('URL of 20 KB', get(`/v1/patients?q=${'a'.repeat(20_000)}`)),
    text('HTTP/2 preface on an HTTP/1.1 port', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    { label: 'random bytes', bytes: Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 73 + 11) % 256)) },
    text(
      'Expect: 100-continue with a JSON body',
      post('/v1/patients', 'content-type: application/json\r\nexpect: 100-continue\r\ncontent-length: 2\r\n', '{}'),
    ),
    text(
      'body on a GET',
      `GET /v1/me HTTP/1.1\r\n${host}\r\n${auth}\r\ncontent-type: application/json\r\ncontent-length: 7\r\nconnection: close\r\n\r\n{"a":1}`,
    ),
    text(
      'a huge Idempotency-Key',
      post('/v1/patients', `content-type: application/json\r\nidempotency-key: ${'k'.repeat(4000)}\r\ncontent-length: 2\r\n`, '{}'),
    ),
  ];
}
