// No dead end: without an open episode the front desk is told what is needed instead of a Book button.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { history, patient } from '../test-fixtures';
import { BookView } from './book-view';
import { PatientView } from './patient-view';

const noEpisode = patient({ openEpisode: null });

function server() {
  fakeApi((c) => {
    if (c.path.endsWith('/injections')) return { body: history([]) };
    if (c.path.startsWith('/v1/patients/')) return { body: noEpisode };
    return undefined;
  });
}

describe('a patient without an open episode', () => {
  it('offers the front desk no Book button but says a clinician must open an episode first', async () => {
    server();
    render(
      <SignedIn role="front_desk">
        <PatientView id={noEpisode.id} />
      </SignedIn>,
    );
    expect(await screen.findByText(/has no open care episode, so no injection can be booked yet/)).toBeTruthy();
    expect(screen.getByText(/A clinician must open one first/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Book injection' })).toBeNull();
  });

  it('tells a clinician to open the episode below', async () => {
    server();
    render(
      <SignedIn role="clinician">
        <PatientView id={noEpisode.id} />
      </SignedIn>,
    );
    expect(await screen.findByText(/Open an episode below/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open episode' })).toBeTruthy();
  });

  it('explains on the booking page itself and links back to the patient', async () => {
    server();
    render(
      <SignedIn role="front_desk">
        <BookView patientId={noEpisode.id} />
      </SignedIn>,
    );
    expect(await screen.findByText(/has no open care episode/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Ada Example' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Booking' })).toBeNull();
  });
});
