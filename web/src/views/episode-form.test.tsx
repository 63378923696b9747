// Opening an episode: no default for "conservative care started" (today would silently hold bookings
// for six weeks), a field that explains itself, and problems shown beside it.
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { PATIENT_ID, episode } from '../test-fixtures';
import { EpisodeForm } from './episode-form';

function renderOpen() {
  render(
    <SignedIn role="clinician">
      <EpisodeForm patientId={PATIENT_ID} onDone={() => undefined} onClose={() => undefined} />
    </SignedIn>,
  );
}

describe('opening an episode', () => {
  it('has no default start date, explains the field, and says what is missing without asking the server', async () => {
    const api = fakeApi(() => undefined);
    renderOpen();
    const start = screen.getByLabelText<HTMLInputElement>('Conservative care started on');
    expect(start.value).toBe('');
    expect(screen.getByText(/injections may start six weeks after it/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Diagnosis'), { target: { value: 'L5 radiculopathy' } });
    await userEvent.click(screen.getByRole('button', { name: 'Open episode' }));
    expect(screen.getByText('Enter when conservative care started.')).toBeTruthy();
    expect(document.activeElement).toBe(start);
    expect(api.calls).toHaveLength(0);
  });

  it('names the first day injections are allowed once the date is given, and sends it', async () => {
    const api = fakeApi((c) => (c.method === 'POST' ? { status: 201, body: episode() } : undefined));
    renderOpen();
    fireEvent.change(screen.getByLabelText('Conservative care started on'), { target: { value: '2026-06-01' } });
    expect(screen.getByText(/from Mon, Jul 13, 2026/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Diagnosis'), { target: { value: 'L5 radiculopathy' } });
    await userEvent.click(screen.getByRole('button', { name: 'Open episode' }));
    expect(api.calls[0]?.body).toMatchObject({ conservativeCareStartedOn: '2026-06-01', diagnosis: 'L5 radiculopathy' });
  });
});
