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

/** "byStatus" → "By status", "integrity_problems" → "Integrity problems". */
export function humanize(key: string): string {
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
  return <>{v}</>;
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
  return (
    <div className="table-scroll">
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

function Section({ name, value, depth }: { name: string; value: Json; depth: number }) {
  const H = depth === 0 ? 'h2' : 'h3';
  let body: ReactNode;
  if (Array.isArray(value)) body = <Table rows={value} caption={humanize(name)} />;
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
              <Section key={k} name={k} value={v} depth={depth + 1} />
            ))}
          </div>
        )}
        {rest.map(([k, v]) => (
          <Section key={k} name={k} value={v} depth={depth + 1} />
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
  return (
    <section className={depth === 0 ? 'card report-section' : 'report-subsection'} aria-label={humanize(name)}>
      <H>{humanize(name)}</H>
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
    <>{shown.map(([k, v]) => (isScalar(v) ? <Facts key={k} entries={[[k, v]]} /> : <Section key={k} name={k} value={v} depth={1} />))}</>
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
