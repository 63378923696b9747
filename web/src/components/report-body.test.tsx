import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReportBody, humanize, isEmptySection } from './report-body';

const base = {
  meta: { date: '2027-01-12', timeZone: 'America/New_York' },
  totals: { injections: { scheduled: 2, completed: 1, total: 3 } },
  injections: [{ mrn: 'MRN-1', status: 'completed', localTime: '09:30-05:00', performedByName: null }],
};

describe('daily report rendering', () => {
  it('says in words when the integrity section holds no problems, and shows it first', () => {
    const report = {
      ...base,
      integrity: {
        ok: true,
        checks: [{ check: 'r2IntervalPairs', description: 'Two injections under 14 days apart', ok: true, count: 0 }],
        r2IntervalPairs: [],
      },
    };
    render(<ReportBody report={report} />);
    const sections = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(sections[0]).toBe('Integrity checks');
    expect(screen.getByText('No integrity problems found.')).toBeTruthy();
  });

  it('lists integrity problems as a table when there are some', () => {
    const pair = { mrn: 'MRN-7', firstDate: '2027-01-01', secondDate: '2027-01-10', daysApart: 9 };
    const report = {
      ...base,
      integrity: {
        ok: false,
        checks: [{ check: 'r2IntervalPairs', description: 'Two injections under 14 days apart', ok: false, count: 1 }],
        r2IntervalPairs: [pair],
      },
    };
    render(<ReportBody report={report} />);
    const integrity = screen.getByRole('region', { name: 'Integrity checks' });
    expect(within(integrity).queryByText('No integrity problems found.')).toBeNull();
    expect(within(integrity).getByText('MRN-7')).toBeTruthy();
    expect(within(integrity).getByRole('columnheader', { name: 'Days apart' })).toBeTruthy();
  });

  it('renders records as tables with readable headings and blanks as dashes, never JSON', () => {
    const { container } = render(<ReportBody report={{ ...base, integrity: [] }} />);
    expect(screen.getByRole('columnheader', { name: 'Performed by name' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '—' })).toBeTruthy();
    expect(container.textContent).not.toMatch(/[{}"]/);
  });

  it('knows an empty section', () => {
    expect(isEmptySection([])).toBe(true);
    expect(isEmptySection({ ok: true, checks: [{ ok: true }], pairs: [] })).toBe(true);
    expect(isEmptySection({ ok: false, checks: [], pairs: [] })).toBe(false);
    expect(isEmptySection({ problems: [{ a: 1 }] })).toBe(false);
    expect(isEmptySection({ count: 0 })).toBe(true);
    expect(humanize('noShowsAndCancellations')).toBe('No-shows and cancellations');
    expect(humanize('byStatus')).toBe('By status');
  });

  it('names the checks in words, never by their code names', () => {
    const report = {
      ...base,
      integrity: {
        ok: false,
        checks: [
          { check: 'r2IntervalPairs', description: 'x', ok: false, count: 1 },
          { check: 'r1WithoutExemption', description: 'y', ok: true, count: 0 },
        ],
        r2IntervalPairs: [{ mrn: 'MRN-7', firstDate: '2027-01-01', secondDate: '2027-01-10', daysApart: 9 }],
      },
      r1Exemptions: [],
      missingOutcomes: [],
    };
    const { container } = render(<ReportBody report={report} />);
    expect(container.textContent).not.toMatch(/r2IntervalPairs|r1WithoutExemption|r1Exemptions|missingOutcomes/);
    expect(screen.getAllByText('Injections fewer than 14 days apart').length).toBeGreaterThan(0);
    expect(screen.getByText('Injections inside the six-week trial without an exemption')).toBeTruthy();
  });

  it('gives every landmark its own name and lets keyboard users reach wide tables', () => {
    const report = { ...base, integrity: { ok: true, checks: [] }, noShowsAndCancellations: [{ mrn: 'MRN-2', status: 'no_show' }] };
    render(<ReportBody report={report} />);
    const regions = screen.getAllByRole('region');
    const names = regions.map(
      (r) => r.getAttribute('aria-label') ?? document.getElementById(r.getAttribute('aria-labelledby') ?? '')?.textContent,
    );
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    for (const scroller of document.querySelectorAll('.table-scroll')) expect(scroller.getAttribute('tabindex')).toBe('0');
    expect(screen.getByRole('cell', { name: 'No-show' })).toBeTruthy();
  });
});
