// One error type with a stable code; one table maps codes to HTTP status. Services throw AppError;
// the error plugin turns it (and Prisma/PostgreSQL errors) into application/problem+json.

export const ERROR_STATUS = {
  'REQUEST.VALIDATION': 400,
  'REQUEST.MALFORMED_JSON': 400,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'AUTH.RATE_LIMITED': 429,
  'REQUEST.RATE_LIMITED': 429,
  'ROUTE.NOT_FOUND': 404,
  'PATIENT.NOT_FOUND': 404,
  'PATIENT.DUPLICATE_MRN': 409,
  'EPISODE.NOT_FOUND': 404,
  'EPISODE.ALREADY_OPEN': 409,
  'EPISODE.CLOSED': 409,
  'INJECTION.NOT_FOUND': 404,
  'INJECTION.RULE_VIOLATION': 422,
  'INJECTION.INTERVAL_TOO_SHORT': 422,
  'INJECTION.INVALID_TRANSITION': 409,
  'INJECTION.PERFORMED_IN_FUTURE': 422,
  'INJECTION.ANATOMY': 400,
  'EPISODE.NO_RED_FLAG': 409,
  'API_KEY.NOT_FOUND': 404,
  'IDEMPOTENCY.KEY_REUSED': 422,
  'IDEMPOTENCY.IN_FLIGHT': 409,
  'IDEMPOTENCY.INVALID_KEY': 400,
  'REPORT.FAILED': 500,
  'RESOURCE.CONFLICT': 409,
  'RESOURCE.NOT_FOUND': 404,
  'SERVICE.UNAVAILABLE': 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    /** Extra members of the problem document (e.g. `violations`, `errors`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (code: ErrorCode, what: string) => new AppError(code, `${what} not found`);
