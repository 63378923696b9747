// Every action on a booking in the real browser, each checked against the API afterwards: complete a
// past booking (asked for the time performed), reschedule, cancel with a reason, no-show, and close the
// episode (which cancels what is still ahead).
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, shoot, signIn } from './helpers/browser.ts';
import { api, clinicToday, plusDays, seedConsultation, seedInjection, seedPatient } from './helpers/seed.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const zone = inject('e2eZone');
const browser = browserSuite();

const longDay = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

describe('actions on bookings', () => {
  it('completes a past booking at the time performed, reschedules, cancels, records a no-show and closes the episode', async () => {
    const admin = api(baseUrl, keys.admin);
    const today = clinicToday(zone);
    const p = await seedPatient(admin, { givenName: 'Rangi', familyName: 'Parata', careStartedOn: plusDays(today, -300) });
    await seedConsultation(admin, p, 6);
    const past = await seedInjection(admin, p, zone, plusDays(today, -60), { time: '09:30' });
    const missed = await seedInjection(admin, p, zone, plusDays(today, -40), { time: '11:00' });
    const moving = await seedInjection(admin, p, zone, plusDays(today, 20), { time: '08:00' });
    const cancelling = await seedInjection(admin, p, zone, plusDays(today, 40), { time: '08:00' });
    const closing = await seedInjection(admin, p, zone, plusDays(today, 60), { time: '08:00' });

    const { page } = await browser.open();
    await signIn(page, baseUrl, keys.clinician);
    await page.goto(`${baseUrl}/app/patients/${p.id}`);
    await page.getByRole('heading', { level: 1, name: 'Rangi Parata' }).waitFor();
    const rowOn = (iso: string) => page.getByRole('row').filter({ hasText: longDay(iso) });

    // Complete: the form asks for the time performed, defaulting to the booked time, which has passed.
    await rowOn(plusDays(today, -60)).getByRole('button', { name: 'Complete' }).click();
    expect(await page.getByLabel('Performed on').inputValue()).toBe(plusDays(today, -60));
    expect(await page.getByLabel('At (clinic time)').inputValue()).toBe('09:30');
    await page.getByLabel('At (clinic time)').fill('09:50');
    await page.getByRole('button', { name: 'Record as performed' }).click();
    await page
      .locator('main')
      .getByText(/^Recorded Rangi Parata's injection as performed on .*9:50 AM\.$/)
      .waitFor();
    await rowOn(plusDays(today, -60)).getByText('Completed').waitFor();

    // No-show for the past appointment.
    await rowOn(plusDays(today, -40)).getByRole('button', { name: 'No-show' }).click();
    await page.getByRole('button', { name: 'Record no-show' }).click();
    await page.locator('main').getByText('Recorded that Rangi Parata did not attend.').waitFor();

    // Reschedule 20 → 22 days ahead.
    await rowOn(plusDays(today, 20)).getByRole('button', { name: 'Reschedule' }).click();
    await page.getByLabel('New date').fill(plusDays(today, 22));
    await page.getByRole('form', { name: 'Reschedule' }).getByRole('button', { name: 'Reschedule' }).click();
    await page
      .locator('main')
      .getByText(/^Rescheduled Rangi Parata to /)
      .waitFor();

    // Cancel with a reason.
    await rowOn(plusDays(today, 40)).getByRole('button', { name: 'Cancel' }).click();
    await page.getByLabel('Reason for cancelling').fill('Patient travelling');
    await page.getByRole('button', { name: 'Cancel injection' }).click();
    await page.locator('main').getByText("Cancelled Rangi Parata's injection.").waitFor();
    await shoot(page, 'patient-actions');

    // Close the episode: the booking still ahead is cancelled with it.
    await page.getByRole('button', { name: 'Close episode' }).click();
    await page.getByLabel('Reason for closing').fill('Pain resolved');
    await page.getByRole('form', { name: 'Close episode' }).getByRole('button', { name: 'Close episode' }).click();
    await page.locator('main').getByText('Episode closed; 2 future injections cancelled.').waitFor();
    await page.getByText(/has no open care episode/).waitFor();

    const items: { id: string; status: string; performedAt: string | null; localDate: string; cancelReason: string | null }[] = (
      await admin.get(`/v1/patients/${p.id}/injections`)
    ).items;
    const byId = (id: string) => items.find((i) => i.id === id);
    expect(byId(past)?.status).toBe('completed');
    const wall = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' });
    expect(wall.format(new Date(byId(past)?.performedAt ?? ''))).toBe(`${plusDays(today, -60)}, 09:50`);
    expect(byId(missed)?.status).toBe('no_show');
    expect(byId(moving)?.localDate).toBe(plusDays(today, 22));
    expect(byId(moving)?.status).toBe('cancelled');
    expect(byId(cancelling)).toMatchObject({ status: 'cancelled', cancelReason: 'Patient travelling' });
    expect(byId(closing)).toMatchObject({ status: 'cancelled', cancelReason: 'Episode closed: Pain resolved' });
  });
});
