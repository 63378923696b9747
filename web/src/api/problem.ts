// Every failure the dashboard shows is an ApiError carrying the server's RFC 9457 `detail`, so views
// print a sentence for people, never a JSON dump.
import type { Problem } from './types';

export type Violation = NonNullable<Problem['violations']>[number];
export type FieldError = NonNullable<Problem['errors']>[number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly violations: Violation[];
  readonly fieldErrors: FieldError[];

  constructor(status: number, code: string, detail: string, extra: { violations?: Violation[]; errors?: FieldError[] } = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.violations = extra.violations ?? [];
    this.fieldErrors = extra.errors ?? [];
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as { detail?: unknown }).detail === 'string';
}

/** An ApiError from a failed response whose body has already been read (parsed JSON, or text). */
export function problemError(res: Response, body: unknown): ApiError {
  if (isProblem(body))
    return new ApiError(res.status, body.code, body.detail, { violations: body.violations ?? [], errors: body.errors ?? [] });
  const text = res.statusText ? ` ${res.statusText}` : '';
  return new ApiError(res.status, 'HTTP', `The server answered ${res.status}${text}. Please try again.`);
}

/** Turns a failed response into an ApiError, whatever the body holds. */
export async function toApiError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await res.json();
      if (isProblem(body)) {
        return new ApiError(res.status, body.code, body.detail, { violations: body.violations ?? [], errors: body.errors ?? [] });
      }
    } catch {
      // An unreadable body falls through to the generic message below.
    }
  }
  const text = res.statusText ? ` ${res.statusText}` : '';
  return new ApiError(res.status, 'HTTP', `The server answered ${res.status}${text}. Please try again.`);
}

export const NETWORK_ERROR = 'Could not reach the server. Check the connection and try again.';

/** The sentence to show for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return NETWORK_ERROR;
  return err instanceof Error && err.message ? err.message : 'Something went wrong.';
}
