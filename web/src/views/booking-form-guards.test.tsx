// The booking form's guards: a date is checked only once typing pauses and it is a sensible date; a past
// date must be confirmed; the offered earliest date is never in the past unless a past date was chosen;
// one Idempotency-Key per submission, reused when the network failed; raw API validation never shows.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClinicalFlag } from '../api/types';
import { SignedIn, fakeApi, problem } from '../test-utils';
import { ZONE, episode, injection, patient } from '../test-fixtures';
import { dateIn, addDays } from '../lib/time';
import { BookingForm, dateProblem } from './booking-form';

afterEach(() => vi.useRealTimers());

const today = () => dateIn(ZONE);
const dateInput = () => screen.getByLabelText<HTMLInputElement>('Date');
const bookButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Book injection' });

function renderForm(flags: ClinicalFlag[] = []) {
  render(
    <SignedIn role="front_desk">
      <BookingForm patient={patient({ flags })} episode={episode()} zone={ZONE} last={injection()} />
    </SignedIn>,
  );
}

function eligibleServer(onBook?: Parameters<typeof fakeApi>[0]) {
  return fakeApi((c) => {
    if (c.path.endsWith('/eligibility')) {
      const on = c.query.get('on') ?? '';
      return { body: { eligible: true, on, earliestEligibleDate: on, blockers: [] } };
    }
    if (c.method === 'POST' && onBook) return onBook(c);
    return undefined;
  });
}

describe('booking form guards', () => {
  it('asks the server about a date only once typing has paused, never about a half-typed year', async () => {
    const api = eligibleServer();
    renderForm();
    await screen.findByText(/^Eligible on/);
    const before = api.calls.length;
    const target = addDays(today(), 30);
    const year = target.slice(0, 4);
    for (const partial of [`0002${target.slice(4)}`, `0020${target.slice(4)}`, `0202${target.slice(4)}`, `${year}${target.slice(4)}`]) {
      fireEvent.change(dateInput(), { target: { value: partial } });
    }
    await screen.findByText(/^Eligible on/, undefined, { timeout: 2000 });
    const asked = api.calls.slice(before).map((c) => c.query.get('on'));
    expect(asked).toEqual([target]);
  });

  it('says what is wrong with an impossible date locally, sends nothing and keeps Book disabled', async () => {
    const api = eligibleServer();
    renderForm();
    await screen.findByText(/^Eligible on/);
    const before = api.calls.length;
    fireEvent.change(dateInput(), { target: { value: '0202-01-12' } });
    expect(await screen.findByText('That date is more than ten years ago: check the year.')).toBeTruthy();
    expect(dateInput().getAttribute('aria-invalid')).toBe('true');
    expect(bookButton().disabled).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(api.calls.length).toBe(before);
    expect(dateProblem('2099-01-01', '2026-12-01')).toMatch(/two years ahead/);
    expect(dateProblem('', '2026-12-01')).toBe('Choose a date.');
    expect(dateProblem('2026-12-15', '2026-12-01')).toBeNull();
  });

  it('asks for confirmation before booking a past date, and says why one would', async () => {
    eligibleServer(() => ({ status: 201, body: injection({ status: 'scheduled' }) }));
    renderForm();
    fireEvent.change(dateInput(), { target: { value: addDays(today(), -20) } });
    expect(await screen.findByText(/is in the past\./)).toBeTruthy();
    await screen.findByText(/^Eligible on/);
    expect(bookButton().disabled).toBe(true);
    await userEvent.click(screen.getByLabelText(/Yes, record an injection on this past date/));
    expect(bookButton().disabled).toBe(false);
  });

  it('never offers an earliest date before today for a future choice, but does for a chosen past date', async () => {
    const past = addDays(today(), -40);
    fakeApi((c) => {
      if (!c.path.endsWith('/eligibility')) return undefined;
      const on = c.query.get('on') ?? '';
      return {
        body: {
          eligible: false,
          on,
          earliestEligibleDate: past,
          blockers: [{ rule: 'R2_INJECTION_INTERVAL', message: 'Too close to another injection.', until: past }],
        },
      };
    });
    renderForm();
    await screen.findByText(/^Not eligible on/);
    expect(screen.queryByRole('button', { name: /Use the earliest eligible date/ })).toBeNull();
    fireEvent.change(dateInput(), { target: { value: addDays(today(), -45) } });
    expect(await screen.findByRole('button', { name: /Use the earliest eligible date/ }, { timeout: 2000 })).toBeTruthy();
  });

  it('reuses the Idempotency-Key when a submission got no answer, and takes a new one after an answer', async () => {
    let n = 0;
    const api = eligibleServer(() => {
      n += 1;
      if (n === 1) throw new TypeError('Failed to fetch');
      if (n === 2) return problem(409, 'INJECTION.CONFLICT', 'Another change to this patient is in progress; try again.');
      return { status: 201, body: injection({ status: 'scheduled' }) };
    });
    renderForm();
    await screen.findByText(/^Eligible on/);
    await userEvent.click(bookButton());
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not reach the server/);
    await userEvent.click(bookButton());
    await screen.findByText(/Another change to this patient is in progress/);
    await userEvent.click(bookButton());
    await screen.findByRole('heading', { name: 'Booked' });
    const keys = api.calls.filter((c) => c.method === 'POST').map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('shows a server validation error in words, never the API text', async () => {
    eligibleServer(() =>
      problem(400, 'REQUEST.VALIDATION', 'Request is invalid: params.id must be a UUID', {
        errors: [{ path: 'body.scheduledAt', message: 'Invalid ISO datetime' }],
      }),
    );
    renderForm();
    await screen.findByText(/^Eligible on/);
    await userEvent.click(bookButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Please check the date and time: the server could not accept it.');
    expect(document.body.textContent).not.toMatch(/UUID|ISO datetime|params\.|body\./);
  });

  it('moves the focus to the Booked heading and announces the booking', async () => {
    eligibleServer(() => ({ status: 201, body: injection({ status: 'scheduled', scheduledAt: '2027-01-12T15:30:00.000Z' }) }));
    render(
      <SignedIn role="front_desk">
        <BookingForm patient={patient()} episode={episode()} zone={ZONE} last={injection()} />
      </SignedIn>,
    );
    await screen.findByText(/^Eligible on/);
    await userEvent.click(bookButton());
    const heading = await screen.findByRole('heading', { name: 'Booked' });
    expect(document.activeElement).toBe(heading);
  });

  it('shows urgent surgical review on the booking form', async () => {
    eligibleServer();
    renderForm([{ flag: 'URGENT_SURGICAL_REVIEW', message: 'Weakness is recorded: refer for surgical evaluation.' }]);
    expect(screen.getByText('Urgent surgical review')).toBeTruthy();
    expect(screen.getByText('Weakness is recorded: refer for surgical evaluation.')).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/^Eligible on/)).toBeTruthy());
  });
});
