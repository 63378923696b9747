// The one place that talks HTTP: bearer key on every call, Idempotency-Key on every POST, problem
// responses turned into ApiError, and a 401 reported so the app can return to sign-in.
import { ApiError, toApiError } from './problem';
import type {
  BookInjection,
  ClosedEpisode,
  CreateEpisode,
  CreatePatient,
  DailyReport,
  Eligibility,
  Episode,
  History,
  Injection,
  Me,
  Patient,
  PatientDetail,
  PatientPage,
  RecordOutcome,
  Schedule,
  UpdateEpisode,
} from './types';

type Query = Record<string, string | number | undefined>;

/** crypto.randomUUID exists only in secure contexts; a clinic may serve the dashboard over plain HTTP. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const enc = encodeURIComponent;

export class ApiClient {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: (err: ApiError) => void = () => undefined,
  ) {}

  async raw(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown; accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const qs = Object.entries(opts.query ?? {})
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
      .join('&');
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = newIdempotencyKey();
    const res = await fetch(qs ? `${path}?${qs}` : path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
    if (!res.ok) {
      const err = await toApiError(res);
      if (res.status === 401) this.onUnauthorized(err);
      throw err;
    }
    return res;
  }

  private async json<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const res = await this.raw(method, path, opts);
    return (await res.json()) as T;
  }

  me = (signal?: AbortSignal) => this.json<Me>('GET', '/v1/me', { signal });
  /** The whole day: the API serves it in pages (by time, `nextCursor` until the last), the view shows it all. */
  schedule = async (date: string, signal?: AbortSignal): Promise<Schedule> => {
    const page = (cursor?: string) => this.json<Schedule>('GET', '/v1/schedule', { query: { date, limit: 500, cursor }, signal });
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
    this.json<PatientPage>('GET', '/v1/patients', { query: { q, cursor, limit: 20 }, signal });
  createPatient = (body: CreatePatient) => this.json<Patient>('POST', '/v1/patients', { body });
  patient = (id: string, signal?: AbortSignal) => this.json<PatientDetail>('GET', `/v1/patients/${enc(id)}`, { signal });
  history = (id: string, signal?: AbortSignal) => this.json<History>('GET', `/v1/patients/${enc(id)}/injections`, { signal });
  eligibility = (id: string, on: string, signal?: AbortSignal) =>
    this.json<Eligibility>('GET', `/v1/patients/${enc(id)}/eligibility`, { query: { on }, signal });
  openEpisode = (patientId: string, body: CreateEpisode) => this.json<Episode>('POST', `/v1/patients/${enc(patientId)}/episodes`, { body });
  updateEpisode = (id: string, body: UpdateEpisode) => this.json<Episode>('PATCH', `/v1/episodes/${enc(id)}`, { body });
  closeEpisode = (id: string, reason: string) => this.json<ClosedEpisode>('POST', `/v1/episodes/${enc(id)}/close`, { body: { reason } });
  book = (body: BookInjection) => this.json<Injection>('POST', '/v1/injections', { body });
  reschedule = (id: string, scheduledAt: string) =>
    this.json<Injection>('POST', `/v1/injections/${enc(id)}/reschedule`, { body: { scheduledAt } });
  cancel = (id: string, reason: string) => this.json<Injection>('POST', `/v1/injections/${enc(id)}/cancel`, { body: { reason } });
  noShow = (id: string) => this.json<Injection>('POST', `/v1/injections/${enc(id)}/no-show`, { body: {} });
  complete = (id: string, performedAt: string) =>
    this.json<Injection>('POST', `/v1/injections/${enc(id)}/complete`, { body: { performedAt } });
  recordOutcome = (id: string, body: RecordOutcome) => this.json<Injection>('PUT', `/v1/injections/${enc(id)}/outcome`, { body });
  dailyReport = (date: string, signal?: AbortSignal) => this.json<DailyReport>('GET', '/v1/reports/daily', { query: { date }, signal });

  /** The report as CSV, for a Blob download: fetched with the bearer header, which a plain link cannot send. */
  async dailyReportCsv(date: string): Promise<Blob> {
    const res = await this.raw('GET', '/v1/reports/daily', { query: { date }, accept: 'text/csv' });
    if (!(res.headers.get('content-type') ?? '').includes('text/csv')) {
      throw new ApiError(res.status, 'REPORT.NOT_CSV', 'The server did not return the report as CSV.');
    }
    return res.blob();
  }
}
