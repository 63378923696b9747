// Pure parts of the FHIR searches: which parameters each type accepts, the searchset Bundle with
// `total` and `next` paging, the OperationOutcome every error becomes, and the CapabilityStatement that
// lists exactly what is served. An unknown parameter or modifier is an error, never silently ignored.
import { SYSTEMS } from './fhir-codes.ts';
import type { BundleLink, IssueType, OperationOutcome, Resource, SearchsetBundle } from './fhir.types.ts';

export const SEARCH_TYPES = ['Patient', 'EpisodeOfCare', 'Condition', 'Appointment', 'Procedure', 'Observation'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** The one filter each type is searched by. */
export const FILTER_PARAM: Record<SearchType, 'identifier' | 'patient'> = {
  Patient: 'identifier',
  EpisodeOfCare: 'patient',
  Condition: 'patient',
  Appointment: 'patient',
  Procedure: 'patient',
  Observation: 'patient',
};

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 100;
/** Result parameters every search accepts: page size and the offset `next` links carry; `_format` for
 * clients that always send it (JSON is the only format served). */
const RESULT_PARAMS = ['_count', '_offset', '_format'] as const;
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

export interface SearchRequest {
  type: SearchType;
  /** The filter's value: a patient id (`patient`) or an MRN with an optional system (`identifier`). */
  value: string;
  system: string | undefined;
  count: number;
  offset: number;
}

export class SearchError extends Error {
  constructor(
    readonly issueType: IssueType,
    message: string,
  ) {
    super(message);
    this.name = 'SearchError';
  }
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const one: unknown = Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
  if (typeof one !== 'string') throw new SearchError('invalid', `Search parameter ${name} may be given once`);
  return one;
}

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > max) throw new SearchError('invalid', `${name} must be an integer from 0 to ${max}`);
  return Number(raw);
}

/** Parses a search's query string; throws SearchError for anything it does not support. */
export function parseSearch(type: SearchType, query: Record<string, unknown>): SearchRequest {
  const filter = FILTER_PARAM[type];
  const allowed = new Set<string>([filter, ...RESULT_PARAMS]);
  const unsupported = Object.keys(query).filter((k) => !allowed.has(k));
  if (unsupported.length) {
    throw new SearchError(
      'not-supported',
      `Unsupported search parameter${unsupported.length > 1 ? 's' : ''} ${unsupported.map((k) => k.slice(0, 60)).join(', ')} for ${type}; supported: ${[...allowed].join(', ')}`,
    );
  }
  const format = single(query, '_format');
  if (format !== undefined && !JSON_FORMATS.has(format)) throw new SearchError('not-supported', 'Only the JSON format is served');
  const raw = single(query, filter);
  if (raw === undefined || raw === '') {
    throw new SearchError('invalid', `${type} is searched by ${filter}: an unfiltered search is not offered`);
  }
  const count = integer('_count', single(query, '_count'), DEFAULT_COUNT, MAX_COUNT);
  const offset = integer('_offset', single(query, '_offset'), 0, 1_000_000);
  if (raw.length > 200) throw new SearchError('invalid', `${filter} is longer than any identifier`);
  if (filter === 'patient') {
    // A reference search: `123`, `Patient/123`, or an absolute URL ending in Patient/123.
    const m = /^(?:(?:https?:\/\/\S*\/)?Patient\/)?([A-Za-z0-9\-.]{1,64})$/.exec(raw);
    if (!m?.[1]) throw new SearchError('invalid', 'patient must be a Patient id or a Patient/<id> reference');
    return { type, value: m[1], system: undefined, count, offset };
  }
  // A token search: `value` or `system|value`; `|value` means "no system".
  const bar = raw.indexOf('|');
  const system = bar === -1 ? undefined : raw.slice(0, bar);
  const value = bar === -1 ? raw : raw.slice(bar + 1);
  if (!value) throw new SearchError('invalid', 'identifier needs a value');
  return { type, value, system, count, offset };
}

/** Whether an identifier search's system names the MRN (no system, or ours). */
export const matchesMrnSystem = (system: string | undefined) => system === undefined || system === SYSTEMS.mrn;

/** A page of a search's full result as a searchset Bundle, with `self` and (when more remain) `next` links. */
export function searchsetBundle(baseUrl: string, req: SearchRequest, all: readonly Resource[]): SearchsetBundle {
  const page = all.slice(req.offset, req.offset + req.count);
  const link = (offset: number) => {
    const q = new URLSearchParams();
    const filter = FILTER_PARAM[req.type];
    q.set(filter, filter === 'patient' ? req.value : req.system === undefined ? req.value : `${req.system}|${req.value}`);
    q.set('_count', String(req.count));
    if (offset > 0) q.set('_offset', String(offset));
    return `${baseUrl}/${req.type}?${q.toString()}`;
  };
  const links: BundleLink[] = [{ relation: 'self', url: link(req.offset) }];
  if (req.count > 0 && req.offset + req.count < all.length) links.push({ relation: 'next', url: link(req.offset + req.count) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: all.length,
    link: links,
    ...(page.length
      ? {
          entry: page.map((resource) => ({
            fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}`,
            resource,
            search: { mode: 'match' as const },
          })),
        }
      : {}),
  };
}

const ISSUE_BY_STATUS: Record<number, IssueType> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

/** An error as an OperationOutcome: the message in `diagnostics`, the service's stable error code and the
 * request id in `details.text`; field errors of a 400 as further issues. */
export function operationOutcome(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  opts: { issueType?: IssueType; errors?: readonly { path: string; message: string }[] } = {},
): OperationOutcome {
  const issueType = opts.issueType ?? ISSUE_BY_STATUS[status] ?? (status >= 500 ? 'exception' : 'processing');
  return {
    resourceType: 'OperationOutcome',
    issue: [
      { severity: 'error', code: issueType, diagnostics: detail, details: { text: `${code} (request ${requestId})` } },
      ...(opts.errors ?? []).map((e) => ({ severity: 'error' as const, code: issueType, diagnostics: `${e.path}: ${e.message}` })),
    ],
  };
}

/** The CapabilityStatement: exactly the interactions and search parameters this API serves. */
export function capabilityStatement(baseUrl: string, version: string, date: string): Resource {
  const resultParams = [
    { name: '_count', type: 'number', documentation: `Page size, 0 to ${MAX_COUNT} (default ${DEFAULT_COUNT}); 0 answers the total only` },
    { name: '_offset', type: 'number', documentation: 'Offset of the page; carried by the Bundle next link' },
  ];
  const resource = (type: SearchType) => ({
    type,
    profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
    interaction: [...(type === 'Patient' ? [{ code: 'read' }] : []), { code: 'search-type' }],
    searchParam:
      FILTER_PARAM[type] === 'identifier'
        ? [{ name: 'identifier', type: 'token', documentation: `The medical record number, as value or ${SYSTEMS.mrn}|value` }]
        : [{ name: 'patient', type: 'reference', documentation: 'Required: the Patient id or Patient/<id>' }],
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'ESI Scheduler',
    kind: 'instance',
    software: { name: 'ESI Scheduler', version },
    implementation: { description: 'ESI Scheduler FHIR R4 read API', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Read-only. Every search needs its filter parameter; any other parameter is refused with 400.',
        security: { description: 'Authorization: Bearer <API key> of the ESI Scheduler; every read is audited.' },
        resource: SEARCH_TYPES.map(resource),
        searchParam: resultParams,
      },
    ],
  };
}
