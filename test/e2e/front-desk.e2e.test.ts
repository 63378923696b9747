// Front desk: find the patient, try to book 13 days after the last injection, get refused with the
// rule in words, take the offered date with one click, and find the booking on Today in clinic time.
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, shoot, shortDate, signIn } from './helpers/browser.ts';
import { api, at, clinicToday, plusDays, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

describe('front desk', () => {
  it('is refused at 13 days, books the offered earliest date, and sees it on Today', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Margaret', familyName: 'Okafor', careStartedOn: plusDays(today, -120) });
    await seedInjection(admin, p, zone, plusDays(today, -14), { complete: true, outcome: [7, 4] });

    const { page } = await browser.open();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('API key').waitFor();
    await shoot(page, 'sign-in');
    await signIn(page, baseUrl, keys.frontDesk);
    expect(await page.getByTestId('role').textContent()).toBe('Front desk');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByLabel('MRN or name').fill(p.mrn);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Okafor, Margaret' }).waitFor();
    await shoot(page, 'patients');
    await page.getByRole('link', { name: 'Okafor, Margaret' }).click();
    await page.getByRole('heading', { name: 'Margaret Okafor' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit episode' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Book injection' }).click();
    const date = page.getByLabel('Date', { exact: true });
    await date.fill(plusDays(today, -1));
    const refusal = page.locator('.state-refused');
    await refusal.getByText(`Not eligible on ${shortDate(plusDays(today, -1))}.`).waitFor();
    expect(await refusal.textContent()).toContain('Injections must be at least 14 days apart');
    expect(await page.getByRole('button', { name: 'Book injection' }).isDisabled()).toBe(true);
    await shoot(page, 'book-refused');

    await page.getByRole('button', { name: `Use the earliest eligible date: ${shortDate(today)}` }).click();
    expect(await date.inputValue()).toBe(today);
    await page.getByText(`Eligible on ${shortDate(today)}.`).waitFor();
    await page.getByLabel(/^Time/).fill('10:30');
    await shoot(page, 'book-eligible');
    await page.getByRole('button', { name: 'Book injection' }).click();
    await page.getByRole('heading', { name: 'Booked' }).waitFor();

    await page.getByRole('link', { name: 'See it on the schedule' }).click();
    await page.getByRole('heading', { name: /^Today:/ }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Okafor, Margaret' });
    await row.waitFor();
    // 10:30 clinic time, although the browser runs in Pacific/Auckland.
    expect(await row.locator('td').first().textContent()).toBe('10:30 AM');
    expect(await row.textContent()).toContain('Scheduled');
    expect(await row.getByRole('button', { name: 'Complete' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await shoot(page, 'today');

    const history = await admin.get(`/v1/patients/${p.id}/injections`);
    const booked = history.items.find((i: { localDate: string }) => i.localDate === today);
    expect(Date.parse(booked.scheduledAt)).toBe(Date.parse(at(today, '10:30', zone)));
    expect(booked.daysSincePrevious).toBe(14);
  });
});
