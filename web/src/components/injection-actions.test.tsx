// Completing an injection asks when it was performed (default: the booked time once passed, else now),
// explains that this date is the one judged, refuses a future time locally, and shows a refusal in words.
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi, problem } from '../test-utils';
import { ZONE, injection } from '../test-fixtures';
import { addDays, dateIn, timeIn } from '../lib/time';
import { ActionForm } from './injection-actions';

function renderComplete(scheduledAt: string, localDate: string, onDone: (m: string) => void = () => undefined) {
  render(
    <SignedIn role="clinician">
      <ActionForm
        injection={injection({ status: 'scheduled', performedAt: null, scheduledAt, localDate })}
        who="Ada Example"
        zone={ZONE}
        mode="complete"
        onDone={onDone}
        onClose={() => undefined}
      />
    </SignedIn>,
  );
}

const performedOn = () => screen.getByLabelText<HTMLInputElement>('Performed on');
const performedAt = () => screen.getByLabelText<HTMLInputElement>('At (clinic time)');

describe('completing an injection', () => {
  it('defaults to the booked time when it has passed, and says the performed date is the one judged', () => {
    const booked = new Date(Date.now() - 3 * 86_400_000);
    renderComplete(booked.toISOString(), dateIn(ZONE, booked));
    expect(performedOn().value).toBe(dateIn(ZONE, booked));
    expect(performedAt().value).toBe(timeIn(ZONE, booked));
    expect(screen.getByText(/that date is the one the scheduling rules judge/)).toBeTruthy();
  });

  it('defaults to now for a booking still ahead, and refuses a future time before asking the server', async () => {
    const ahead = new Date(Date.now() + 12 * 86_400_000);
    const api = fakeApi(() => undefined);
    renderComplete(ahead.toISOString(), dateIn(ZONE, ahead));
    expect(performedOn().value).toBe(dateIn(ZONE));
    expect(screen.getByText(/not on the booked/)).toBeTruthy();
    fireEvent.change(performedOn(), { target: { value: addDays(dateIn(ZONE), 2) } });
    expect(screen.getByText('That time is still ahead: an injection can be recorded only once performed.')).toBeTruthy();
    const submit = screen.getByRole<HTMLButtonElement>('button', { name: 'Record as performed' });
    expect(submit.disabled).toBe(true);
    expect(api.calls).toHaveLength(0);
  });

  it('sends the date and time given, in the clinic offset, and confirms with that time', async () => {
    const booked = new Date(Date.now() - 5 * 86_400_000);
    const day = dateIn(ZONE, booked);
    let done = '';
    const api = fakeApi((c) => (c.path.endsWith('/complete') ? { body: injection({ status: 'completed' }) } : undefined));
    renderComplete(booked.toISOString(), day, (m) => (done = m));
    fireEvent.change(performedAt(), { target: { value: '08:05' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record as performed' }));
    const body = api.calls[0]?.body as { performedAt: string };
    expect(body.performedAt.startsWith(`${day}T08:05:00-0`)).toBe(true);
    expect(done).toMatch(/^Recorded Ada Example's injection as performed on .*8:05 AM\.$/);
    expect(api.calls[0]?.headers['idempotency-key']).toBeTruthy();
  });

  it('shows a refusal of the performed date in words and keeps the injection booked', async () => {
    const booked = new Date(Date.now() - 2 * 86_400_000);
    fakeApi(() =>
      problem(422, 'INJECTION.RULE_VIOLATION', 'The injection breaks a scheduling rule', {
        violations: [{ rule: 'R2_INJECTION_INTERVAL', message: 'Another injection was given 9 days before.', earliestEligibleDate: null }],
      }),
    );
    renderComplete(booked.toISOString(), dateIn(ZONE, booked));
    await userEvent.click(screen.getByRole('button', { name: 'Record as performed' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^Not recorded: on .* this injection would break a scheduling rule, so it stays booked\.$/,
    );
    expect(screen.getByText(/Injections must be at least 14 days apart/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /earliest eligible date/ })).toBeNull();
  });
});
