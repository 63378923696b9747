// Today: a status filter, and urgent surgical review shown beside a booked patient.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { PATIENT_ID, patient, schedule } from '../test-fixtures';
import { TodayView } from './today-view';

const OTHER = '6f1c2a52-0c55-4a4e-9a38-1f0f0e6c0099';

function server() {
  fakeApi((c) => {
    if (c.path === '/v1/schedule')
      return {
        body: schedule(c.query.get('date') ?? '', [
          { id: 'a1b2c3d4-0000-4000-8000-000000000031', status: 'scheduled', scheduledAt: '2027-01-12T14:00:00.000Z' },
          {
            id: 'a1b2c3d4-0000-4000-8000-000000000032',
            status: 'cancelled',
            cancelReason: 'Patient unwell',
            scheduledAt: '2027-01-12T15:00:00.000Z',
            patient: { id: OTHER, mrn: 'MRN-2000', givenName: 'Bo', familyName: 'Other' },
          },
        ]),
      };
    if (c.path === `/v1/patients/${PATIENT_ID}`)
      return { body: patient({ flags: [{ flag: 'URGENT_SURGICAL_REVIEW', message: 'Weakness is recorded.' }] }) };
    if (c.path === `/v1/patients/${OTHER}`) return { body: patient({ id: OTHER, flags: [] }) };
    return undefined;
  });
}

describe('Today filter and warnings', () => {
  it('filters the day by status and shows urgent surgical review for the booked patient', async () => {
    server();
    render(
      <SignedIn role="front_desk">
        <TodayView date="2027-01-12" />
      </SignedIn>,
    );
    expect(await screen.findByText('Weakness is recorded.')).toBeTruthy();
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'cancelled');
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('Patient unwell')).toBeTruthy();
    expect(screen.queryByText('Weakness is recorded.')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'no_show');
    expect(screen.getByText('No no-show injections on this day.')).toBeTruthy();
  });
});
