// Clinical rules v2 in the browser: completing on a different day is judged on that day (refused in
// words, the injection stays booked), a red flag blocks booking until a clinician's clearance, and a
// third injection needs a recorded consultation.
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, expectRefusalLogged, seriousAxeViolations, shoot, signIn } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

const day = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

describe('clinical rules v2', () => {
  it('refuses a completion dated too close to another injection, in words, and keeps it booked', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Hemi', familyName: 'Walker', careStartedOn: plusDays(today, -200) });
    await seedInjection(admin, p, zone, plusDays(today, -30), { complete: true });
    const due = await seedInjection(admin, p, zone, plusDays(today, -10), { time: '10:00' });

    const session = await browser.open();
    const { page } = session;
    await signIn(page, baseUrl, keys.clinician);
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    const row = page.getByRole('row').filter({ hasText: day(plusDays(today, -10)) });
    await row.getByRole('button', { name: 'Complete' }).click();
    await page.getByLabel('Performed on').fill(plusDays(today, -25));
    await page.getByText(/the rules are checked for that day/).waitFor();
    await page.getByRole('button', { name: 'Record as performed' }).click();
    await page
      .getByText(`Not recorded: on ${day(plusDays(today, -25))} this injection would break a scheduling rule, so it stays booked.`)
      .waitFor();
    await page.getByText('Injections must be at least 14 days apart.').waitFor();
    await shoot(page, 'complete-refused');
    expect((await admin.get(`/v1/patients/${p.id}/injections`)).items.find((i: { id: string }) => i.id === due).status).toBe('scheduled');
    expectRefusalLogged(session, 422);
  });

  it('blocks booking on a red flag until a clinician records a clearance', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, {
      givenName: 'Mere',
      familyName: 'Tipene',
      careStartedOn: plusDays(today, -90),
      signs: ['bowel_bladder'],
    });

    const desk = await browser.open();
    await signIn(desk.page, baseUrl, keys.frontDesk);
    await desk.page.goto(`${baseUrl}/app/patients/${p.id}/book`);
    await desk.page.getByText('A red flag needs urgent surgical evaluation first.').waitFor();
    expect(await desk.page.getByRole('button', { name: 'Book injection' }).isDisabled()).toBe(true);

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.clinician);
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page.getByText(/Booking blocked: bowel bladder recorded\./).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Record a clearance' }).click();
    await page.getByLabel('Reason for clearing').fill('Long-standing, investigated: urology reports no new deficit.');
    await page.getByRole('button', { name: 'Clear red flags' }).click();
    await page.locator('main').getByText('Red flags cleared: bowel bladder. Booking is possible again.').waitFor();
    await page
      .getByText(/^Red flags cleared:/)
      .first()
      .waitFor();
    await shoot(page, 'patient-red-flag-cleared');

    await desk.page.reload();
    await desk.page.getByText(/^Eligible on/).waitFor();
    const episode = (await admin.get(`/v1/patients/${p.id}`)).openEpisode;
    expect(episode.redFlagBlocked).toBe(false);
    expect(episode.redFlagClearances[0].reason).toBe('Long-standing, investigated: urology reports no new deficit.');
  });

  it('needs a consultation for a third injection, recorded by a clinician, then books it', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Ana', familyName: 'Kerr', careStartedOn: plusDays(today, -200) });
    await seedInjection(admin, p, zone, plusDays(today, -60), { outcome: [8, 5] });
    await seedInjection(admin, p, zone, plusDays(today, -30), { outcome: [7, 4] });

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.clinician);
    await page.goto(`${baseUrl}/app/patients/${p.id}/book`);
    await page.getByText('Another injection in this episode needs a recorded consultation.').waitFor();
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page
      .getByTestId('allowance')
      .filter({ hasText: /^2 of 2 allowed booked or given\./ })
      .waitFor();
    await page.getByRole('button', { name: 'Record a consultation' }).click();
    await page.getByLabel('Injections the episode may hold in total').fill('3');
    await page.getByLabel('What was agreed').fill('Partial relief twice; one more at L4-L5, then review.');
    await page.getByRole('button', { name: 'Record consultation' }).click();
    await page.locator('main').getByText('Consultation recorded: the episode may hold up to 3 injections.').waitFor();
    await page.getByText(/Allowed by consultation: up to 3\./).waitFor();
    await shoot(page, 'patient-consultation');

    await page.getByRole('link', { name: 'Book injection' }).click();
    await page.getByText(/^Eligible on/).waitFor();
    await page.getByRole('button', { name: 'Book injection' }).click();
    await page.getByRole('heading', { name: 'Booked' }).waitFor();
    const items = (await admin.get(`/v1/patients/${p.id}/injections`)).items;
    expect(items.filter((i: { status: string }) => i.status === 'scheduled')).toHaveLength(1);
  });
});
