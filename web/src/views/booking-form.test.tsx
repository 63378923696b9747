import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi, problem, type Call } from '../test-utils';
import { ZONE, episode, injection, patient } from '../test-fixtures';
import { BookingForm } from './booking-form';

const REFUSED_ON = '2027-01-11';
const EARLIEST = '2027-01-12';
const R2 = {
  rule: 'R2_INJECTION_INTERVAL',
  message: 'Another injection is booked on 2026-12-29; the next may be on 2027-01-12 or later.',
  until: EARLIEST,
};

function eligibilityServer(onBook: (c: Call) => ReturnType<Parameters<typeof fakeApi>[0]>) {
  return fakeApi((c) => {
    if (c.path.endsWith('/eligibility')) {
      const on = c.query.get('on') ?? '';
      return on < EARLIEST
        ? { body: { eligible: false, on, earliestEligibleDate: EARLIEST, blockers: [R2] } }
        : { body: { eligible: true, on, earliestEligibleDate: on, blockers: [] } };
    }
    if (c.method === 'POST' && c.path === '/v1/injections') return onBook(c);
    return undefined;
  });
}

function renderForm() {
  render(
    <SignedIn role="front_desk">
      <BookingForm
        patient={patient()}
        episode={episode()}
        zone={ZONE}
        last={injection({ levels: ['L5-S1'], level: 'L5-S1', side: 'right' })}
      />
    </SignedIn>,
  );
}

const dateInput = () => screen.getByLabelText<HTMLInputElement>('Date');
const bookButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Book injection' });

describe('booking form', () => {
  it('shows a refusal in plain words and books on the earliest eligible date after one click', async () => {
    const api = eligibilityServer((c) => ({
      status: 201,
      body: { ...injection({ status: 'scheduled', localDate: EARLIEST, scheduledAt: (c.body as { scheduledAt: string }).scheduledAt }) },
    }));
    renderForm();
    fireEvent.change(dateInput(), { target: { value: REFUSED_ON } });

    expect(await screen.findByText('Not eligible on Mon, Jan 11, 2027.')).toBeTruthy();
    expect(screen.getByText(/Injections must be at least 14 days apart/)).toBeTruthy();
    expect(screen.getByText(/the next may be on 2027-01-12 or later/)).toBeTruthy();
    expect(bookButton().disabled).toBe(true);

    await userEvent.click(screen.getByRole('button', { name: 'Use the earliest eligible date: Tue, Jan 12, 2027' }));
    expect(dateInput().value).toBe(EARLIEST);
    expect(await screen.findByText('Eligible on Tue, Jan 12, 2027.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/^Time/), { target: { value: '10:30' } });
    await userEvent.click(bookButton());
    expect(await screen.findByRole('heading', { name: 'Booked' })).toBeTruthy();

    const post = api.calls.find((c) => c.method === 'POST');
    // 10:30 in New York in January is 15:30Z: the offset is the clinic's, whatever the machine's zone.
    expect(post?.body).toEqual({
      patientId: patient().id,
      episodeId: episode().id,
      scheduledAt: '2027-01-12T10:30:00-05:00',
      levels: ['L5-S1'],
      approach: 'transforaminal',
      side: 'right',
    });
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(api.calls.filter((c) => c.path.endsWith('/eligibility')).map((c) => c.query.get('on'))).toContain(REFUSED_ON);
  });

  it('shows a refusal found at submit (422) with its rule and the one-click date, and a fresh Idempotency-Key per submit', async () => {
    let attempt = 0;
    const api = eligibilityServer(() => {
      attempt += 1;
      return attempt === 1
        ? problem(422, 'INJECTION.RULE_VIOLATION', 'The injection breaks a scheduling rule', {
            violations: [{ rule: R2.rule, message: 'Booked 13 days after another injection.', earliestEligibleDate: '2027-02-01' }],
          })
        : { status: 201, body: injection({ status: 'scheduled', localDate: '2027-02-01', scheduledAt: '2027-02-01T14:00:00.000Z' }) };
    });
    renderForm();
    fireEvent.change(dateInput(), { target: { value: '2027-01-20' } });
    await screen.findByText('Eligible on Wed, Jan 20, 2027.');
    await userEvent.click(bookButton());

    expect(await screen.findByText('The injection breaks a scheduling rule')).toBeTruthy();
    expect(screen.getByText(/Booked 13 days after another injection/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Use the earliest eligible date: Mon, Feb 1, 2027' }));
    expect(dateInput().value).toBe('2027-02-01');
    await screen.findByText('Eligible on Mon, Feb 1, 2027.');
    await userEvent.click(bookButton());
    await screen.findByRole('heading', { name: 'Booked' });

    const keys = api.calls.filter((c) => c.method === 'POST').map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it('shows the server’s detail, not its JSON, when the booking fails otherwise', async () => {
    eligibilityServer(() => problem(409, 'INJECTION.CONFLICT', 'Another change to this patient is in progress; try again.'));
    renderForm();
    fireEvent.change(dateInput(), { target: { value: EARLIEST } });
    await screen.findByText('Eligible on Tue, Jan 12, 2027.');
    await userEvent.click(bookButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Another change to this patient is in progress; try again.');
    await waitFor(() => expect(bookButton().disabled).toBe(false));
  });
});
