import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { patient } from '../test-fixtures';
import { PatientsView } from './patients-view';

const named = (n: number) => ({
  ...patient({ id: `6f1c2a52-0c55-4a4e-9a38-1f0f0e6c${String(n).padStart(4, '0')}`, familyName: `Family${n}`, mrn: `MRN-${n}` }),
});

describe('Patients', () => {
  it('searches with the query and pages on with the cursor the API gave', async () => {
    const api = fakeApi((c) => {
      if (c.path !== '/v1/patients') return undefined;
      return c.query.get('cursor') === 'page-2'
        ? { body: { items: [named(3)], nextCursor: null } }
        : { body: { items: [named(1), named(2)], nextCursor: 'page-2' } };
    });
    render(
      <SignedIn role="front_desk">
        <PatientsView q="Family" />
      </SignedIn>,
    );
    await screen.findByText('Family1, Ada');
    await userEvent.click(screen.getByRole('button', { name: 'Show more patients' }));
    await screen.findByText('Family3, Ada');
    expect(screen.getAllByRole('row')).toHaveLength(4); // header + 3
    expect(screen.queryByRole('button', { name: 'Show more patients' })).toBeNull();
    expect(api.calls.map((c) => [c.query.get('q'), c.query.get('cursor')])).toEqual([
      ['Family', null],
      ['Family', 'page-2'],
    ]);
  });

  it('says when nothing matches', async () => {
    fakeApi((c) => (c.path === '/v1/patients' ? { body: { items: [], nextCursor: null } } : undefined));
    render(
      <SignedIn role="auditor">
        <PatientsView q="nobody" />
      </SignedIn>,
    );
    expect(await screen.findByText('No patient matches “nobody”.')).toBeTruthy();
  });
});
