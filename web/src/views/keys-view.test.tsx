// API keys (admin): issue and see the secret once with a copy button, revoke only after confirming,
// and when a key was last used.
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { KeysView } from './keys-view';

const KEY = {
  id: '3a0f5c1e-1111-4000-8000-000000000001',
  name: 'Front desk 1',
  role: 'front_desk',
  prefix: 'esk_abcdefgh',
  createdAt: '2026-11-01T14:00:00.000Z',
  revokedAt: null,
  lastUsedAt: '2026-11-30T15:05:00.000Z',
};

describe('API keys screen', () => {
  it('issues a key, shows its secret once with a copy button, and lists when keys were last used', async () => {
    let items: unknown[] = [KEY];
    const api = fakeApi((c) => {
      if (c.method === 'GET' && c.path === '/v1/api-keys') return { body: { items } };
      if (c.method === 'POST' && c.path === '/v1/api-keys') {
        const created = { ...KEY, id: '3a0f5c1e-1111-4000-8000-000000000002', name: 'Dr B', role: 'clinician', lastUsedAt: null };
        items = [KEY, created];
        return { status: 201, body: { ...created, key: 'esk_the-secret-shown-once' } };
      }
      return undefined;
    });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(
      <SignedIn role="admin">
        <KeysView />
      </SignedIn>,
    );
    const row = (await screen.findByText('Front desk 1')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Mon, Nov 30, 2026, 10:05 AM')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Issue key' }));
    expect(screen.getByText('Enter a name, e.g. “Front desk 2”.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Who or what will use it'), { target: { value: 'Dr B' } });
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'clinician');
    await userEvent.click(screen.getByRole('button', { name: 'Issue key' }));
    expect((await screen.findByTestId('issued-secret')).textContent).toBe('esk_the-secret-shown-once');
    expect(screen.getByText(/it is shown only this once/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Copy key' }));
    expect(writeText).toHaveBeenCalledWith('esk_the-secret-shown-once');
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Dr B', role: 'clinician' });
    const newRow = (await screen.findByText('never')).closest('tr') as HTMLElement;
    expect(within(newRow).getByText('Dr B')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it: hide the key' }));
    expect(screen.queryByTestId('issued-secret')).toBeNull();
    expect(document.body.textContent).not.toContain('esk_the-secret-shown-once');
  });

  it('revokes only after a confirmation', async () => {
    let revoked = false;
    const api = fakeApi((c) => {
      if (c.method === 'GET') return { body: { items: [{ ...KEY, revokedAt: revoked ? '2026-12-01T15:00:00.000Z' : null }] } };
      if (c.method === 'DELETE') {
        revoked = true;
        return { status: 204 };
      }
      return undefined;
    });
    render(
      <SignedIn role="admin">
        <KeysView />
      </SignedIn>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Front desk 1' }));
    expect(api.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    expect(screen.getByText(/Whoever uses it is signed out at their next request/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(api.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Revoke Front desk 1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, revoke the key' }));
    expect(await screen.findByText('Key “Front desk 1” revoked.')).toBeTruthy();
    expect(api.calls.find((c) => c.method === 'DELETE')?.path).toBe(`/v1/api-keys/${KEY.id}`);
    expect(await screen.findByText(/^Revoked /)).toBeTruthy();
  });
});
