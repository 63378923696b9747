// Payer coverage in the booking form (SPEC §5): a date R1–R5 allow but the payer's 30-day interval does
// not is shown as eligible with the payer's issue beside it, stays bookable, and the earliest covered
// date is one click away; the booking made there is covered.
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, shortDate, signIn } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

describe('front desk and payer coverage', () => {
  it('sees the payer issue beside eligibility and books the earliest covered date', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, {
      givenName: 'Rosalind',
      familyName: 'Achterberg',
      careStartedOn: plusDays(today, -120),
      coverage: { payer: 'Example Commercial Plan', policyId: 'commercial-esi-example' },
    });
    await seedInjection(admin, p, zone, plusDays(today, -20), { complete: true, outcome: [7, 3] });

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.frontDesk);
    await page.goto(`${baseUrl}/app/patients/${p.id}/book`);
    const date = page.getByLabel('Date', { exact: true });
    await date.fill(today);
    await page.getByText(`Eligible on ${shortDate(today)}.`).waitFor();
    const note = page.locator('.coverage');
    await note.getByText('The payer may not cover this date').waitFor();
    expect(await note.textContent()).toContain('at least 30 days apart');
    expect(await page.getByRole('button', { name: 'Book injection' }).isDisabled()).toBe(false);

    const coveredFrom = plusDays(today, 10);
    await page.getByRole('button', { name: `Use the earliest covered date: ${shortDate(coveredFrom)}` }).click();
    expect(await date.inputValue()).toBe(coveredFrom);
    await page.getByText('Payer policy commercial-esi-example v1: covered on this date.').waitFor();
    await page.getByRole('button', { name: 'Book injection' }).click();
    await page.getByRole('heading', { name: 'Booked' }).waitFor();

    const history = await admin.get(`/v1/patients/${p.id}/injections`);
    expect(history.items.map((i: { localDate: string }) => i.localDate)).toContain(coveredFrom);
  });
});
