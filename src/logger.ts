// pino options shared by the server and the CLI. Patient data (names, birth dates, phone, email),
// search terms and secrets are removed by configuration, not by each call site remembering to.
import type { LoggerOptions } from 'pino';

const PHI_FIELDS = ['givenName', 'familyName', 'birthDate', 'phone', 'email', 'name', 'key', 'apiKey', 'password'];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'authorization',
  ...PHI_FIELDS,
  ...PHI_FIELDS.map((f) => `*.${f}`),
  ...PHI_FIELDS.map((f) => `*.*.${f}`),
];

/** Query strings can carry a patient's name (`?q=`); log the path and the names of parameters only. */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const names = [...new Set(params.keys())].map((k) => `${k}=*`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method: string; url: string; id: string; ip?: string }) {
        return { method: req.method, url: safeUrl(req.url), id: req.id, ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
