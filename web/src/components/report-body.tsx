// Renders the report JSON generically but readably: scalars as compact facts, lists of records as
// tables, nested sections under headings; instants in clinic time and ids shortened (full on hover).
// Whatever key names the integrity section is shown first, in a frame of its own; when it holds
// nothing, it says so in words.
import { createContext, useContext, type ReactNode } from 'react';
import { formatDateTime } from '../lib/time';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isFlat = (v: unknown) => isScalar(v) || (Array.isArray(v) && v.every(isScalar));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const Zone = createContext<string | null>(null);

/** The report's field and check names in the words of the clinic, where camel case is not enough. */
const WORDS: Record<string, string> = {
  integrity: 'Integrity checks',
  checks: 'Checks run',
  check: 'Check',
  r2IntervalPairs: 'Injections fewer than 14 days apart',
  r1WithoutExemption: 'Injections inside the six-week trial without an exemption',
  closedEpisodeInjections: 'Injections on closed episodes',
  auditGaps: 'Changes missing from the audit trail',
  r1Exemptions: 'Six-week trial not required (exemptions)',
  r1ExemptionsFlagged: 'Exemptions to review',
  missingOutcomes: 'Completed injections without an outcome',
  noShowsAndCancellations: 'No-shows and cancellations',
  integrityIssues: 'Integrity problems',
  no_show: 'No-show',
  mrn: 'MRN',
  injectionId: 'Injection',
  episodeId: 'Episode',
  firstInjectionId: 'First injection',
  secondInjectionId: 'Second injection',
  dayOfTrial: 'Day of the conservative trial',
  meta: 'About this report',
  ruleParameters: 'Rule settings',
  conservativeTrialDays: 'Conservative trial (days)',
  minIntervalDays: 'Minimum days between injections',
  flagParameters: 'Flag settings',
  reportParameters: 'Report settings',
  contentHash: 'Content fingerprint (SHA-256)',
  ok: 'Passed',
  truncated: 'List shortened',
  URGENT_SURGICAL_REVIEW: 'Urgent surgical review',
  SURGICAL_REVIEW: 'Surgical review',
  ANNUAL_LIMIT: 'Annual limit',
  ADDITIONAL_INJECTION_CONSULT: 'Consult before another injection',
  BOOKED_NOW_INELIGIBLE: 'Booked injection no longer eligible',
  RECORDED_UNDER_24H_BEFORE_BOOKING: 'Exemption recorded less than a day before booking',
  NO_RECORD_OF_EXEMPTION: 'No record of the exemption',
  SCHEDULED_ON_CLOSED_EPISODE: 'Still scheduled on a closed episode',
  DATED_AFTER_EPISODE_CLOSED: 'Dated after the episode closed',
  audit_trail: 'Audit trail',
};

/** "byStatus" → "By status", "integrity_problems" → "Integrity problems"; known names in words. */
export function humanize(key: string): string {
  const known = WORDS[key];
  if (known) return known;
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function Text({ v }: { v: string }) {
  const zone = useContext(Zone);
  if (UUID.test(v))
    return (
      <abbr title={v} className="id">
        {v.slice(0, 8)}…
      </abbr>
    );
  if (zone && INSTANT.test(v))
    return (
      <time dateTime={v} title={v}>
        {formatDateTime(v, zone)}
      </time>
    );
  return <>{WORDS[v] ?? v}</>;
}

function Cell({ v }: { v: unknown }): ReactNode {
  if (v === null || v === undefined || v === '') return <span className="muted">—</span>;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return <Text v={v} />;
  if (Array.isArray(v)) return v.every(isScalar) ? v.join(', ') : `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, x]) => `${humanize(k)}: ${x === null || typeof x !== 'object' ? String(x) : '…'}`)
      .join('; ');
  return typeof v === 'number' ? String(v) : '';
}

/** True when a section holds no findings: `ok: true`, an empty list, or lists all empty and counts zero. */
export function isEmptySection(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) {
    if (typeof v.ok === 'boolean') return v.ok;
    const values = Object.values(v);
    const findings = values.filter((x) => Array.isArray(x) || isRecord(x));
    return findings.length > 0 ? findings.every(isEmptySection) : values.every((x) => x === 0 || x === null || x === false);
  }
  return v === 0 || v === false;
}

function Table({ rows, caption }: { rows: Json[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">None.</p>;
  if (!rows.every(isRecord))
    return (
      <ul>
        {rows.map((r, k) => (
          <li key={k}>
            <Cell v={r} />
          </li>
        ))}
      </ul>
    );
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  // A table wider than the screen scrolls inside its frame, which keyboard users reach with Tab.
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${caption} (table)`}>
      <table className="table compact">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c} scope="col">
                {humanize(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, k) => (
            <tr key={k}>
              {cols.map((c) => (
                <td key={c}>
                  <Cell v={r[c]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Facts({ entries }: { entries: [string, Json][] }) {
  return (
    <dl className="fact-grid">
      {entries.map(([k, v]) => (
        // A long unbroken value (a hash) gets a row of its own instead of a narrow column.
        <div key={k} className={typeof v === 'string' && v.length > 28 && !v.includes(' ') ? 'fact wide' : 'fact'}>
          <dt>{humanize(k)}</dt>
          <dd>
            <Cell v={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ name, value, depth, path = name }: { name: string; value: Json; depth: number; path?: string }) {
  const H = depth === 0 ? 'h2' : 'h3';
  // Nested names repeat (totals → injections, and the injections list): a table's label names its parent too.
  const caption = depth === 0 ? humanize(name) : `${humanize(path.split('.')[0] ?? name)}: ${humanize(name)}`;
  let body: ReactNode;
  if (Array.isArray(value)) body = <Table rows={value} caption={caption} />;
  else if (isRecord(value)) {
    const entries = Object.entries(value);
    const flat = entries.filter(([, v]) => isFlat(v));
    const nested = entries.filter(([, v]) => !isFlat(v));
    // Small groups of facts sit side by side; tables take the full width.
    const groups = nested.filter(([, v]) => isRecord(v) && Object.values(v).every(isFlat));
    const rest = nested.filter((e) => !groups.includes(e));
    body = (
      <>
        {flat.length > 0 && <Facts entries={flat} />}
        {groups.length > 0 && (
          <div className="fact-groups">
            {groups.map(([k, v]) => (
              <Section key={k} name={k} value={v} depth={depth + 1} path={`${path}.${k}`} />
            ))}
          </div>
        )}
        {rest.map(([k, v]) => (
          <Section key={k} name={k} value={v} depth={depth + 1} path={`${path}.${k}`} />
        ))}
        {entries.length === 0 && <p className="muted">None.</p>}
      </>
    );
  } else
    body = (
      <p>
        <Cell v={value} />
      </p>
    );
  // Only top-level sections are landmarks (each with its own heading); nested groups are plain blocks,
  // so no two landmarks share a name.
  const id = `sec-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (depth > 0)
    return (
      <div className="report-subsection">
        <H>{humanize(name)}</H>
        {body}
      </div>
    );
  return (
    <section className="card report-section" aria-labelledby={id}>
      <H id={id}>{humanize(name)}</H>
      {body}
    </section>
  );
}

function IntegrityBody({ value }: { value: Json }) {
  if (Array.isArray(value)) return <Table rows={value} caption="Integrity problems" />;
  if (!isRecord(value))
    return (
      <p>
        <Cell v={value} />
      </p>
    );
  // `ok` is said in words above; empty lists of findings add nothing.
  const shown = Object.entries(value).filter(([k, v]) => k !== 'ok' && !(Array.isArray(v) && v.length === 0));
  return (
    <>
      {shown.map(([k, v]) =>
        isScalar(v) ? <Facts key={k} entries={[[k, v]]} /> : <Section key={k} name={k} value={v} depth={1} path={`integrity.${k}`} />,
      )}
    </>
  );
}

/** `zone`: the clinic's zone, for showing instants as clinic time. */
export function ReportBody({ report, zone = null }: { report: Record<string, unknown>; zone?: string | null }) {
  const entries = Object.entries(report) as [string, Json][];
  const integrity = entries.filter(([k]) => /integrity/i.test(k));
  const scalars = entries.filter(([k, v]) => !/integrity/i.test(k) && isScalar(v));
  const sections = entries.filter(([k, v]) => !/integrity/i.test(k) && !isScalar(v));
  return (
    <Zone.Provider value={zone}>
      <div className="report">
        {integrity.map(([k, v]) => (
          <section key={k} className={`card integrity ${isEmptySection(v) ? 'clean' : 'problems'}`} aria-labelledby={`sec-${k}`}>
            <h2 id={`sec-${k}`}>{humanize(k)}</h2>
            {isEmptySection(v) ? (
              <p className="integrity-ok">No integrity problems found.</p>
            ) : (
              <p className="integrity-bad">Integrity problems found: see below.</p>
            )}
            <IntegrityBody value={v} />
          </section>
        ))}
        {scalars.length > 0 && (
          <div className="card">
            <Facts entries={scalars} />
          </div>
        )}
        {sections.map(([k, v]) => (
          <Section key={k} name={k} value={v} depth={0} />
        ))}
      </div>
    </Zone.Provider>
  );
}
