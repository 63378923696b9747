// Clinician: review the injection timeline, record an injection as performed, record its outcome,
// and mark the episode severe (which lifts the six-week trial).
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, shoot, signIn } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedConsultation, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

describe('clinician', () => {
  it('completes an injection, records its outcome, and edits the episode', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, {
      givenName: 'Tomás',
      familyName: 'Lindqvist',
      careStartedOn: plusDays(today, -200),
      diagnosis: 'L4-L5 disc herniation with L5 radiculopathy',
    });
    await seedConsultation(admin, p, 4);
    await seedInjection(admin, p, zone, plusDays(today, -70), { outcome: [8, 5] });
    await seedInjection(admin, p, zone, plusDays(today, -49), { outcome: [7, 3] });
    const due = await seedInjection(admin, p, zone, plusDays(today, -21), { time: '14:15' });
    await seedInjection(admin, p, zone, plusDays(today, 10));

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.clinician);
    expect(await page.getByTestId('role').textContent()).toBe('Clinician');
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page.getByRole('heading', { name: 'Tomás Lindqvist' }).waitFor();
    await page.getByRole('img', { name: 'Injection timeline' }).waitFor();
    expect(await page.getByText('Consult before another injection').count()).toBe(1);

    const row = page.getByRole('row').filter({ hasText: '2:15 PM' });
    expect(await row.textContent()).toContain('Scheduled');
    await row.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('button', { name: 'Record as performed' }).click();
    await page
      .locator('main')
      .getByText(/^Recorded Tomás Lindqvist's injection as performed on /)
      .waitFor();
    await row.getByText('Completed').waitFor();

    await row.getByRole('button', { name: 'Record outcome' }).click();
    await page.getByLabel('Pain before (0–10)').fill('8');
    await page.getByLabel('Pain after (0–10)').fill('2');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.locator('main').getByText('Outcome recorded.').waitFor();
    await row.getByText('(75% better)').waitFor();
    expect(await row.textContent()).toContain('8 → 2');
    expect(await page.getByRole('img', { name: 'Injection timeline' }).textContent()).toContain('8→2');

    await page.getByRole('button', { name: 'Edit episode' }).click();
    await page.getByLabel('Severity').selectOption('severe');
    await page.getByRole('button', { name: 'Save episode' }).click();
    await page.locator('main').getByText('Episode updated.').waitFor();
    await page.getByText('Not required (severe, or neurological signs recorded)').waitFor();
    await shoot(page, 'patient');

    const history = await admin.get(`/v1/patients/${p.id}/injections`);
    const done = history.items.find((i: { id: string }) => i.id === due);
    expect(done.status).toBe('completed');
    expect(done.outcome).toMatchObject({ painBefore: 8, painAfter: 2, percentImprovement: 75 });
    expect((await admin.get(`/v1/patients/${p.id}`)).openEpisode.severity).toBe('severe');
  });
});
