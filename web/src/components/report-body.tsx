// Renders the report JSON generically but readably: scalars as a summary, lists of records as tables,
// nested sections under headings. Whatever key names the integrity section is shown first, in a frame
// of its own; when it holds nothing, it says so in words.
import type { ReactNode } from 'react';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** "byStatus" → "By status", "integrity_problems" → "Integrity problems". */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function cell(v: unknown): ReactNode {
  if (v === null || v === undefined || v === '') return <span className="muted">—</span>;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.every(isScalar) ? v.join(', ') : `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (isRecord(v)) return Object.entries(v).map(([k, x]) => `${humanize(k)}: ${x === null || typeof x !== 'object' ? String(x) : '…'}`).join('; ');
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** True when a section holds no findings: an empty list, or an object whose lists are all empty and counts zero. */
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
  if (!rows.every(isRecord)) return <ul>{rows.map((r, k) => <li key={k}>{cell(r)}</li>)}</ul>;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div className="table-scroll">
      <table className="table compact">
        <caption className="sr-only">{caption}</caption>
        <thead><tr>{cols.map((c) => <th key={c} scope="col">{humanize(c)}</th>)}</tr></thead>
        <tbody>
          {rows.map((r, k) => (
            <tr key={k}>{cols.map((c) => <td key={c}>{cell(r[c])}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Facts({ entries }: { entries: [string, Json][] }) {
  return (
    <dl className="facts">
      {entries.map(([k, v]) => (
        <div key={k} className="fact"><dt>{humanize(k)}</dt><dd>{cell(v)}</dd></div>
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
    const scalars = entries.filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
    const nested = entries.filter(([, v]) => !(isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
    body = (
      <>
        {scalars.length > 0 && <Facts entries={scalars} />}
        {nested.map(([k, v]) => <Section key={k} name={k} value={v} depth={depth + 1} />)}
        {entries.length === 0 && <p className="muted">None.</p>}
      </>
    );
  } else body = <p>{cell(value)}</p>;
  return (
    <section className={depth === 0 ? 'card report-section' : 'report-subsection'}>
      <H>{humanize(name)}</H>
      {body}
    </section>
  );
}

export function ReportBody({ report }: { report: Record<string, unknown> }) {
  const entries = Object.entries(report) as [string, Json][];
  const integrity = entries.filter(([k]) => /integrity/i.test(k));
  const scalars = entries.filter(([k, v]) => !/integrity/i.test(k) && isScalar(v));
  const sections = entries.filter(([k, v]) => !/integrity/i.test(k) && !isScalar(v));
  return (
    <div className="report">
      {integrity.length === 0 ? null : integrity.map(([k, v]) => (
        <section key={k} className={`card integrity ${isEmptySection(v) ? 'clean' : 'problems'}`} aria-labelledby={`sec-${k}`}>
          <h2 id={`sec-${k}`}>{humanize(k)}</h2>
          {isEmptySection(v) ? <p className="integrity-ok">No integrity problems found.</p> : <p className="integrity-bad">Integrity problems found: see below.</p>}
          <IntegrityBody value={v} />
        </section>
      ))}
      {scalars.length > 0 && <div className="card"><Facts entries={scalars} /></div>}
      {sections.map(([k, v]) => <Section key={k} name={k} value={v} depth={0} />)}
    </div>
  );
}

function IntegrityBody({ value }: { value: Json }) {
  if (Array.isArray(value)) return <Table rows={value} caption="Integrity problems" />;
  if (!isRecord(value)) return <p>{cell(value)}</p>;
  // `ok` is said in words above; empty lists of findings add nothing.
  const shown = Object.entries(value).filter(([k, v]) => k !== 'ok' && !(Array.isArray(v) && v.length === 0));
  return (
    <>
      {shown.map(([k, v]) =>
        isScalar(v) ? <Facts key={k} entries={[[k, v]]} /> : <Section key={k} name={k} value={v} depth={1} />,
      )}
    </>
  );
}
