// Accessibility in the real browser: axe-core on every view finds nothing serious or critical, a
// booking can be made with the keyboard alone (skip link, Tab, Enter, focus on the result), and at
// 390 px (a phone) no view scrolls sideways.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, focused, hasFocus, horizontalOverflow, seriousAxeViolations, shoot, signIn, tabTo } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

async function views(page: Page, patientId: string, mrn: string, today: string) {
  return [
    { name: 'today', url: `/app/today?date=${today}`, ready: page.getByRole('heading', { level: 1, name: /^Schedule:|^Today:/ }) },
    { name: 'patients', url: `/app/patients?q=${mrn}`, ready: page.getByRole('cell', { name: mrn }) },
    { name: 'patient', url: `/app/patients/${patientId}`, ready: page.getByRole('img', { name: 'Injection timeline' }) },
    { name: 'book', url: `/app/patients/${patientId}/book`, ready: page.locator('#eligibility .state') },
    { name: 'report', url: `/app/report?date=${today}`, ready: page.getByRole('region', { name: 'Integrity checks', exact: true }) },
    { name: 'keys', url: '/app/keys', ready: page.getByRole('table') },
    { name: 'not-found', url: '/app/nowhere', ready: page.getByRole('heading', { name: 'Page not found' }) },
  ];
}

describe('accessibility', () => {
  it('axe-core finds no serious or critical violation on any view, signed out or in', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Aroha', familyName: 'Ngata', careStartedOn: plusDays(today, -100) });
    await seedInjection(admin, p, zone, plusDays(today, -30), { outcome: [8, 3] });
    await seedInjection(admin, p, zone, plusDays(today, 3));

    const { page } = await browser.open();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('API key').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signIn(page, baseUrl, keys.admin);
    for (const v of await views(page, p.id, p.mrn, today)) {
      await page.goto(`${baseUrl}${v.url}`);
      await v.ready.first().waitFor();
      expect({ view: v.name, violations: await seriousAxeViolations(page) }).toEqual({ view: v.name, violations: [] });
      expect(await page.title()).toMatch(/ · ESI Scheduler$/);
    }
    // Forms opened inside views.
    await page.goto(`${baseUrl}/app/patients`);
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByText('Enter the MRN.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page.getByRole('row').filter({ hasText: 'Scheduled' }).getByRole('button', { name: 'Complete' }).click();
    await page.getByLabel('Performed on').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('books with the keyboard alone, from the skip link to the confirmation', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Keyboard', familyName: 'Only', careStartedOn: plusDays(today, -100) });
    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.frontDesk);
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    const heading = page.getByRole('heading', { level: 1, name: 'Keyboard Only' });
    await heading.waitFor();

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a:Skip to content');
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('link', { name: 'Book injection' }));
    await page.keyboard.press('Enter');
    const bookHeading = page.getByRole('heading', { level: 1, name: 'Book an injection for Keyboard Only' });
    await bookHeading.waitFor();
    expect(await hasFocus(bookHeading)).toBe(true);
    expect(await page.title()).toBe('Book an injection for Keyboard Only · ESI Scheduler');

    await page.getByText(/^Eligible on/).waitFor();
    await tabTo(page, page.getByLabel(/^Time/));
    await page.keyboard.type('1115AM');
    await tabTo(page, page.getByRole('button', { name: 'Book injection' }));
    await page.keyboard.press('Enter');
    const booked = page.getByRole('heading', { name: 'Booked' });
    await booked.waitFor();
    expect(await hasFocus(booked)).toBe(true);
    await page.waitForFunction('document.querySelector("[data-testid=announcer]")?.textContent.startsWith("Booked Keyboard Only")');
    const history = await admin.get(`/v1/patients/${p.id}/injections`);
    expect(history.items).toHaveLength(1);
    expect(history.items[0].localDate).toBe(today);
  });

  it('fits a 390 px phone screen on every view without sideways scrolling', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Wiremu', familyName: 'Tane-Whitcombe', careStartedOn: plusDays(today, -100) });
    await seedInjection(admin, p, zone, plusDays(today, -30), { outcome: [6, 2] });
    await seedInjection(admin, p, zone, today, { time: '13:30' });
    const { page } = await browser.open({ width: 390, height: 844 });
    await signIn(page, baseUrl, keys.admin);
    for (const v of await views(page, p.id, p.mrn, today)) {
      await page.goto(`${baseUrl}${v.url}`);
      await v.ready.first().waitFor();
      expect({ view: v.name, overflow: await horizontalOverflow(page) }).toEqual({ view: v.name, overflow: 0 });
      if (v.name === 'today' || v.name === 'patient') await shoot(page, `${v.name}-phone`);
    }
  });
});
