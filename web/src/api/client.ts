// The one place that talks HTTP, through openapi-fetch on the generated OpenAPI types: paths, params,
// bodies and answers are checked against the server's own contract at build time. Bearer key on every
// call, the caller's Idempotency-Key on every POST, problem responses turned into ApiError, and a 401
// reported so the app can return to sign-in.
import createClient, { type Client } from 'openapi-fetch';
import { ApiError, problemError } from './problem';
import type { paths } from './schema';
import type { BookInjection, CreateEpisode, CreatePatient, DailyReport, IssueKey, RecordOutcome, UpdateEpisode } from './types';

/** crypto.randomUUID exists only in secure contexts; a clinic may serve the dashboard over plain HTTP. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** One user submission's Idempotency-Key (see useSubmit); a call made outside a form gets a fresh one. */
type Idem = string | undefined;

export class ApiClient {
  private readonly http: Client<paths>;

  constructor(
    key: string,
    private readonly onUnauthorized: (err: ApiError) => void = () => undefined,
  ) {
    this.http = createClient<paths>({
      baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
      // Looked up at call time, so a page (or a test) that replaces fetch is honoured.
      fetch: (req) => globalThis.fetch(req),
    });
  }

  private async ok<T>(p: Promise<Answer<T>>): Promise<T> {
    const { data, error, response } = await p;
    if (response.ok) return data as T;
    const err = problemError(response, error);
    if (response.status === 401) this.onUnauthorized(err);
    throw err;
  }

  private post = (idem: Idem) => ({ headers: { 'idempotency-key': idem ?? newIdempotencyKey() } });

  me = (signal?: AbortSignal) => this.ok(this.http.GET('/v1/me', { signal }));
  /** The whole day: the schedule comes in pages, followed here until the last. */
  schedule = async (date: string, signal?: AbortSignal) => {
    const page = (cursor?: string) =>
      this.ok(this.http.GET('/v1/schedule', { params: { query: { date, limit: 500, ...(cursor ? { cursor } : {}) } }, signal }));
    const first = await page();
    const items = [...first.items];
    for (let next = first.nextCursor; next;) {
      const more = await page(next);
      items.push(...more.items);
      next = more.nextCursor;
    }
    return { ...first, items, nextCursor: null };
  };
  searchPatients = (q: string, cursor: string | undefined, signal?: AbortSignal) =>
    this.ok(
      this.http.GET('/v1/patients', { params: { query: { ...(q ? { q } : {}), ...(cursor ? { cursor } : {}), limit: 20 } }, signal }),
    );
  createPatient = (body: CreatePatient, idem?: Idem) => this.ok(this.http.POST('/v1/patients', { body, ...this.post(idem) }));
  patient = (id: string, signal?: AbortSignal) => this.ok(this.http.GET('/v1/patients/{id}', { params: { path: { id } }, signal }));
  history = (id: string, signal?: AbortSignal) =>
    this.ok(this.http.GET('/v1/patients/{id}/injections', { params: { path: { id } }, signal }));
  eligibility = (id: string, on: string, signal?: AbortSignal) =>
    this.ok(this.http.GET('/v1/patients/{id}/eligibility', { params: { path: { id }, query: { on } }, signal }));
  openEpisode = (patientId: string, body: CreateEpisode, idem?: Idem) =>
    this.ok(this.http.POST('/v1/patients/{id}/episodes', { params: { path: { id: patientId } }, body, ...this.post(idem) }));
  updateEpisode = (id: string, body: UpdateEpisode) => this.ok(this.http.PATCH('/v1/episodes/{id}', { params: { path: { id } }, body }));
  closeEpisode = (id: string, reason: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/episodes/{id}/close', { params: { path: { id } }, body: { reason }, ...this.post(idem) }));
  clearRedFlags = (id: string, reason: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/episodes/{id}/red-flag-clearance', { params: { path: { id } }, body: { reason }, ...this.post(idem) }));
  recordConsultation = (id: string, body: { allowInjections: number; note: string }, idem?: Idem) =>
    this.ok(this.http.POST('/v1/episodes/{id}/consultations', { params: { path: { id } }, body, ...this.post(idem) }));
  book = (body: BookInjection, idem?: Idem) => this.ok(this.http.POST('/v1/injections', { body, ...this.post(idem) }));
  reschedule = (id: string, scheduledAt: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/injections/{id}/reschedule', { params: { path: { id } }, body: { scheduledAt }, ...this.post(idem) }));
  cancel = (id: string, reason: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/injections/{id}/cancel', { params: { path: { id } }, body: { reason }, ...this.post(idem) }));
  noShow = (id: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/injections/{id}/no-show', { params: { path: { id } }, body: {}, ...this.post(idem) }));
  complete = (id: string, performedAt: string, idem?: Idem) =>
    this.ok(this.http.POST('/v1/injections/{id}/complete', { params: { path: { id } }, body: { performedAt }, ...this.post(idem) }));
  recordOutcome = (id: string, body: RecordOutcome) =>
    this.ok(this.http.PUT('/v1/injections/{id}/outcome', { params: { path: { id } }, body }));
  dailyReport = (date: string, signal?: AbortSignal) =>
    this.ok(this.http.GET('/v1/reports/daily', { params: { query: { date } }, signal })) as Promise<DailyReport>;
  apiKeys = (signal?: AbortSignal) => this.ok(this.http.GET('/v1/api-keys', { signal }));
  issueKey = (body: IssueKey, idem?: Idem) => this.ok(this.http.POST('/v1/api-keys', { body, ...this.post(idem) }));
  revokeKey = (id: string) => this.ok(this.http.DELETE('/v1/api-keys/{id}', { params: { path: { id } } }));

  /** The report as CSV, for a Blob download: fetched with the bearer header, which a plain link cannot send. */
  async dailyReportCsv(date: string): Promise<Blob> {
    const { data, error, response } = await this.http.GET('/v1/reports/daily', {
      params: { query: { date } },
      headers: { accept: 'text/csv' },
      parseAs: 'blob',
    });
    if (!response.ok) {
      const err = problemError(response, error);
      if (response.status === 401) this.onUnauthorized(err);
      throw err;
    }
    if (!(response.headers.get('content-type') ?? '').includes('text/csv')) {
      throw new ApiError(response.status, 'REPORT.NOT_CSV', 'The server did not return the report as CSV.');
    }
    return data as unknown as Blob;
  }
}
