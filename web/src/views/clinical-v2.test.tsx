// Clinical rules v2 on screen: the red-flag blocker in words and the clearance form, the consultation
// allowance and its form, two-level sessions and anatomy errors in words, relief duration in the
// outcome, and the warnings of an episode edit.
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi, problem } from '../test-utils';
import { ZONE, episode, injection, patient } from '../test-fixtures';
import { BookingForm } from './booking-form';
import { EpisodePanel } from './episode-panel';
import { EpisodeForm } from './episode-form';
import { OutcomeForm } from './outcome-form';

const eligible = () =>
  fakeApi((c) => {
    if (c.path.endsWith('/eligibility')) {
      const on = c.query.get('on') ?? '';
      return { body: { eligible: true, on, earliestEligibleDate: on, blockers: [] } };
    }
    return undefined;
  });

describe('red flags (R4)', () => {
  const blocked = episode({
    neurologicalSigns: ['saddle_anesthesia'],
    redFlags: ['saddle_anesthesia'],
    clearedRedFlags: [],
    redFlagBlocked: true,
  });

  it('says in words why booking is blocked, and tells the front desk to ask a clinician', () => {
    fakeApi(() => undefined);
    render(
      <SignedIn role="front_desk">
        <EpisodePanel patientId={blocked.patientId} episode={blocked} onChanged={() => undefined} />
      </SignedIn>,
    );
    expect(screen.getByText(/Booking blocked: saddle anesthesia recorded\./)).toBeTruthy();
    expect(screen.getByText(/urgent surgical evaluation/)).toBeTruthy();
    expect(screen.getByText('Ask a clinician to assess the patient.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Record a clearance' })).toBeNull();
  });

  it('lets a clinician record a clearance with a reason', async () => {
    const api = fakeApi((c) => (c.path.endsWith('/red-flag-clearance') ? { status: 201, body: {} } : undefined));
    let done = '';
    render(
      <SignedIn role="clinician">
        <EpisodePanel patientId={blocked.patientId} episode={blocked} onChanged={(m) => (done = m)} />
      </SignedIn>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Record a clearance' }));
    await userEvent.click(screen.getByRole('button', { name: 'Clear red flags' }));
    expect(screen.getByText('Give the reason for clearing.')).toBeTruthy();
    expect(api.calls).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Reason for clearing'), { target: { value: 'MRI shows no compression; chronic since 2019.' } });
    await userEvent.click(screen.getByRole('button', { name: 'Clear red flags' }));
    expect(api.calls[0]).toMatchObject({
      method: 'POST',
      path: `/v1/episodes/${blocked.id}/red-flag-clearance`,
      body: { reason: 'MRI shows no compression; chronic since 2019.' },
    });
    expect(done).toBe('Red flags cleared: saddle anesthesia. Booking is possible again.');
  });

  it('names the R4 and R5 refusals in plain words on the booking form', async () => {
    fakeApi((c) =>
      c.path.endsWith('/eligibility')
        ? {
            body: {
              eligible: false,
              on: c.query.get('on'),
              earliestEligibleDate: null,
              blockers: [
                { rule: 'R4_RED_FLAG', message: 'Bowel or bladder dysfunction is recorded.', until: null },
                { rule: 'R5_CONSULTATION', message: 'A third injection needs a consultation.', until: null },
              ],
            },
          }
        : undefined,
    );
    render(
      <SignedIn role="front_desk">
        <BookingForm patient={patient()} episode={episode()} zone={ZONE} last={undefined} />
      </SignedIn>,
    );
    expect(await screen.findByText('A red flag needs urgent surgical evaluation first.')).toBeTruthy();
    expect(screen.getByText('Another injection in this episode needs a recorded consultation.')).toBeTruthy();
    expect(screen.getByText(/No eligible date can be offered/)).toBeTruthy();
  });
});

describe('consultations (R5)', () => {
  it('shows the allowance and records a consultation for more injections', async () => {
    const api = fakeApi((c) => (c.path.endsWith('/consultations') ? { status: 201, body: {} } : undefined));
    let done = '';
    const ep = episode({ allowInjections: 2, consultations: [] });
    render(
      <SignedIn role="clinician">
        <EpisodePanel patientId={ep.patientId} episode={ep} counted={2} onChanged={(m) => (done = m)} />
      </SignedIn>,
    );
    expect(screen.getByTestId('allowance').textContent).toMatch(
      /^2 of 2 allowed booked or given\. A third or later injection needs a recorded consultation\.$/,
    );
    expect(screen.getByText(/another one needs a recorded consultation first/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Record a consultation' }));
    const allow = screen.getByLabelText<HTMLInputElement>('Injections the episode may hold in total');
    expect(allow.value).toBe('3');
    fireEvent.change(allow, { target: { value: '13' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record consultation' }));
    expect(screen.getByText('Enter a whole number from 3 to 12.')).toBeTruthy();
    expect(screen.getByText('Write what was agreed.')).toBeTruthy();
    fireEvent.change(allow, { target: { value: '4' } });
    fireEvent.change(screen.getByLabelText('What was agreed'), { target: { value: 'Partial relief; two more at L5-S1.' } });
    await userEvent.click(screen.getByRole('button', { name: 'Record consultation' }));
    expect(api.calls[0]?.body).toEqual({ allowInjections: 4, note: 'Partial relief; two more at L5-S1.' });
    expect(done).toBe('Consultation recorded: the episode may hold up to 4 injections.');
  });
});

describe('anatomy', () => {
  it('books two contiguous levels, refuses non-contiguous ones locally, and offers only the sides an approach allows', async () => {
    const api = eligible();
    render(
      <SignedIn role="front_desk">
        <BookingForm patient={patient()} episode={episode()} zone={ZONE} last={undefined} />
      </SignedIn>,
    );
    await screen.findByText(/^Eligible on/);
    await userEvent.click(screen.getByLabelText('L2-L3'));
    expect(screen.getByText('Two levels in one session must be next to each other.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Book injection' }).disabled).toBe(true);
    await userEvent.click(screen.getByLabelText('L2-L3'));
    await userEvent.click(screen.getByLabelText('L5-S1'));
    expect(screen.queryByText(/must be next to each other/)).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Approach'), 'caudal');
    expect(screen.queryByLabelText('L4-L5')).toBeNull();
    expect([...screen.getByLabelText<HTMLSelectElement>('Side').options].map((o) => o.value)).toEqual(['midline']);
    await userEvent.selectOptions(screen.getByLabelText('Approach'), 'transforaminal');
    await userEvent.click(screen.getByLabelText('L4-L5'));
    await userEvent.click(screen.getByLabelText('L5-S1'));
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('shows the server anatomy refusal in words, field by field', async () => {
    fakeApi((c) => {
      if (c.path.endsWith('/eligibility'))
        return { body: { eligible: true, on: c.query.get('on'), earliestEligibleDate: null, blockers: [] } };
      return problem(400, 'INJECTION.ANATOMY', 'levels.0: C6-C7 is not in the lumbar spine of this episode', {
        errors: [{ path: 'body.levels.0', message: 'C6-C7 is not in the lumbar spine of this episode' }],
      });
    });
    render(
      <SignedIn role="front_desk">
        <BookingForm patient={patient()} episode={episode()} zone={ZONE} last={undefined} />
      </SignedIn>,
    );
    await screen.findByText(/^Eligible on/);
    await userEvent.click(screen.getByRole('button', { name: 'Book injection' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This injection cannot be performed as described:');
    expect(alert.textContent).toContain('The levels: C6-C7 is not in the lumbar spine of this episode.');
    expect(alert.textContent).not.toContain('body.');
  });
});

describe('outcome and episode edits', () => {
  it('records how long relief lasted', async () => {
    const api = fakeApi((c) => (c.method === 'PUT' ? { body: injection() } : undefined));
    render(
      <SignedIn role="clinician">
        <OutcomeForm injection={injection()} zone={ZONE} onSaved={() => undefined} onClose={() => undefined} />
      </SignedIn>,
    );
    fireEvent.change(screen.getByLabelText('Pain before (0–10)'), { target: { value: '8' } });
    fireEvent.change(screen.getByLabelText('Pain after (0–10)'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Days relief of 50% or more lasted (optional)'), { target: { value: '42' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save outcome' }));
    expect(api.calls[0]?.body).toMatchObject({ painBefore: 8, painAfter: 3, reliefLastedDays: 42 });
  });

  it('names the booked injections an edit leaves ineligible, and offers saddle anaesthesia as a sign', async () => {
    const ep = episode({ neurologicalSigns: ['numbness'] });
    fakeApi((c) =>
      c.method === 'PATCH'
        ? {
            body: {
              ...ep,
              warnings: [
                {
                  code: 'R1_EXEMPTION_WITHDRAWN',
                  injectionId: injection().id,
                  localDate: '2026-12-20',
                  message: 'The six-week trial now applies.',
                },
              ],
            },
          }
        : undefined,
    );
    let done = '';
    render(
      <SignedIn role="clinician">
        <EpisodeForm patientId={ep.patientId} episode={ep} onDone={(m) => (done = m)} onClose={() => undefined} />
      </SignedIn>,
    );
    expect(screen.getByLabelText('saddle anesthesia')).toBeTruthy();
    await userEvent.click(screen.getByLabelText('numbness'));
    await userEvent.click(screen.getByRole('button', { name: 'Save episode' }));
    expect(done).toBe(
      'Episode updated. One booked injection no longer passes the rules; move or cancel it: Sun, Dec 20, 2026: The six-week trial now applies.',
    );
  });
});
