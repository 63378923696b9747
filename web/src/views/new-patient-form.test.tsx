// Registering a patient: problems beside each field in words, focus on the first, no browser pop-ups.
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignedIn, fakeApi, problem } from '../test-utils';
import { NewPatientForm } from './new-patient-form';

function renderForm() {
  render(
    <SignedIn role="front_desk">
      <NewPatientForm onCreated={() => undefined} onCancel={() => undefined} />
    </SignedIn>,
  );
}

describe('new patient form', () => {
  it('shows each missing field inline, focuses the first, and sends nothing', async () => {
    const api = fakeApi(() => undefined);
    renderForm();
    const form = screen.getByRole('form', { name: 'New patient' });
    expect(form.hasAttribute('novalidate')).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Register patient' }));
    expect(screen.getByText('Enter the MRN.')).toBeTruthy();
    expect(screen.getByText('Enter the birth date.')).toBeTruthy();
    const mrn = screen.getByLabelText('MRN');
    expect(document.activeElement).toBe(mrn);
    expect(mrn.getAttribute('aria-invalid')).toBe('true');
    expect(mrn.getAttribute('aria-describedby')).toBe('np-mrn-error');
    expect(api.calls).toHaveLength(0);
  });

  it('says beside the MRN when another patient has it', async () => {
    fakeApi(() => problem(409, 'PATIENT.DUPLICATE_MRN', 'A patient with this MRN already exists'));
    renderForm();
    fireEvent.change(screen.getByLabelText('MRN'), { target: { value: 'MRN-1' } });
    fireEvent.change(screen.getByLabelText('Given name'), { target: { value: 'Ada' } });
    fireEvent.change(screen.getByLabelText('Family name'), { target: { value: 'Example' } });
    fireEvent.change(screen.getByLabelText('Birth date'), { target: { value: '1970-05-04' } });
    fireEvent.change(screen.getByLabelText('Email (optional)'), { target: { value: 'not-an-address' } });
    await userEvent.click(screen.getByRole('button', { name: 'Register patient' }));
    expect(screen.getByText(/Enter an email address like/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Email (optional)'), { target: { value: '' } });
    await userEvent.click(screen.getByRole('button', { name: 'Register patient' }));
    expect(await screen.findByText('Another patient already has this MRN.')).toBeTruthy();
  });
});
