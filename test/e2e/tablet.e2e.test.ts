// An administrator on a tablet (768 px wide): registers a patient, opens an episode, books, and reads
// every view without the page scrolling sideways.
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, horizontalOverflow, shoot, shortDate, signIn } from './helpers/browser.ts';
import { clinicToday, plusDays } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

describe('administrator at tablet width', () => {
  it('registers a patient, opens an episode and books, on views that fit 768 px', async () => {
    const today = clinicToday(zone);
    const mrn = `TAB-${Date.now().toString(36).toUpperCase()}`;
    const { page } = await browser.open({ width: 768, height: 1024 });
    const fits = async (name: string) => {
      expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      await shoot(page, `${name}-tablet`);
    };

    await signIn(page, baseUrl, keys.admin);
    expect(await page.getByTestId('role').textContent()).toBe('Administrator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByLabel('MRN', { exact: true }).fill(mrn);
    await page.getByLabel('Given name').fill('Priya');
    await page.getByLabel('Family name').fill('Raman');
    await page.getByLabel('Birth date').fill('1979-08-30');
    await page.getByLabel('Phone (optional)').fill('+1 555 0199');
    await fits('patients');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor();

    await page.getByRole('button', { name: 'Open episode' }).click();
    await page.getByLabel('Conservative care started on').fill(plusDays(today, -60));
    await page.getByLabel('Diagnosis').fill('Lumbar spinal stenosis with neurogenic claudication');
    await page.getByLabel('numbness').check();
    await page.getByRole('button', { name: 'Open episode' }).click();
    await page.locator('main').getByText('Episode opened.').waitFor();
    await page.getByText('Not required (severe, or neurological signs recorded)').waitFor();

    await page.getByRole('link', { name: 'Book injection' }).click();
    await page.getByText(`Eligible on ${shortDate(today)}.`).waitFor();
    await page.getByLabel(/^Time/).fill('15:00');
    await page.getByLabel('Side').selectOption('bilateral');
    await page.getByLabel('Approach').selectOption('interlaminar');
    await fits('book');
    await page.getByRole('button', { name: 'Book injection' }).click();
    await page.getByRole('link', { name: 'See it on the schedule' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Raman, Priya' });
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe('3:00 PM');
    await fits('today');

    await row.getByRole('link', { name: 'Raman, Priya' }).click();
    await page.getByRole('img', { name: 'Injection timeline' }).waitFor();
    await fits('patient');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report' }).click();
    await page.getByLabel('Date', { exact: true }).fill(today);
    await page.getByRole('region', { name: 'Integrity checks', exact: true }).waitFor();
    await page.getByRole('region', { name: 'Injections' }).getByText(mrn).waitFor();
    await fits('report');
  });
});
