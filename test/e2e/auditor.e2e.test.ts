// Auditor: read-only everywhere, and the daily report with its integrity section and CSV download.
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, shoot, signIn } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
/** The report's generation time is the one line that differs between two reads of the same day. */
const stable = (csv: string) =>
  csv
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('generatedAt,'))
    .join('\n');

describe('auditor', () => {
  it('reads without actions, sees the integrity section, and downloads the report as CSV', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Ines', familyName: 'Haddad', careStartedOn: plusDays(today, -90) });
    await seedInjection(admin, p, zone, today, { time: '08:45' });

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.auditor);
    expect(await page.getByTestId('role').textContent()).toBe('Auditor');
    const row = page.getByRole('row').filter({ hasText: 'Haddad, Ines' });
    await row.waitFor();
    expect(await row.getByRole('button').count()).toBe(0);

    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page.getByRole('heading', { name: 'Ines Haddad' }).waitFor();
    expect(await page.getByRole('link', { name: 'Book injection' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit episode' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report' }).click();
    await page.getByRole('heading', { name: `Daily report: ${longDate(plusDays(today, -1))}` }).waitFor();
    await page.getByLabel('Date', { exact: true }).fill(today);
    await page.getByRole('heading', { name: `Daily report: ${longDate(today)}` }).waitFor();
    const integrity = page.getByRole('region', { name: 'Integrity checks', exact: true });
    await integrity.waitFor();
    expect(await integrity.textContent()).toContain('No integrity problems found.');
    await page.getByRole('cell', { name: p.mrn }).first().waitFor();
    await shoot(page, 'report');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`esi-daily-report-${today}.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).toMatch(/^section,meta$/m);
    expect(csv).toMatch(new RegExp(`^date,${today}$`, 'm'));
    expect(csv).toContain(p.mrn);
    const direct = await api(baseUrl, keys.auditor).get(`/v1/reports/daily?date=${today}`, 'text/csv');
    expect(stable(csv)).toBe(stable(direct));
  });
});
