// What a failed report run records and logs: a stable code and a message written here, never the
// error's own text. A database or file-system error message can quote row values (a unique-key
// violation names the key's value: an MRN) or paths, and a report's failure lands in report_runs, the
// runs API and the log stream.

export interface ReportFailure {
  code: string;
  message: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const CONNECTION = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const FILES = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'EMFILE', 'EDQUOT']);

/** The SQLSTATE of a pg error, also when Prisma's driver adapter wraps it. */
function sqlState(err: Record<string, unknown>): string | undefined {
  const cause = err.cause as Record<string, unknown> | undefined;
  for (const c of [err.code, cause?.originalCode, cause?.code]) if (typeof c === 'string' && SQLSTATE.test(c)) return c;
  return undefined;
}

export function describeReportFailure(err: unknown): ReportFailure {
  const e = (err ?? {}) as Record<string, unknown>;
  const state = typeof err === 'object' ? sqlState(e) : undefined;
  if (state === '57014') return { code: 'REPORT.TIMEOUT', message: 'a report query ran past its time limit (SQLSTATE 57014)' };
  if (state?.startsWith('08') || state === '57P01' || state === '57P03') {
    return { code: 'REPORT.DATABASE_UNAVAILABLE', message: `the database connection failed (SQLSTATE ${state})` };
  }
  if (state) return { code: 'REPORT.DATABASE_ERROR', message: `the database refused a report query (SQLSTATE ${state})` };
  const sys = typeof e.code === 'string' ? e.code : undefined;
  if (sys && CONNECTION.has(sys)) return { code: 'REPORT.DATABASE_UNAVAILABLE', message: `the database could not be reached (${sys})` };
  if (sys && FILES.has(sys))
    return { code: 'REPORT.FILE_ERROR', message: `the report files could not be written (${sys}); check REPORT_DIR` };
  const name = err instanceof Error && /^[A-Za-z]{1,40}$/.test(err.name) ? err.name : 'error';
  return { code: 'REPORT.INTERNAL_ERROR', message: `the report could not be produced (${name})` };
}

/** As stored in report_runs.error. */
export const failureText = (f: ReportFailure) => `${f.code}: ${f.message}`;
