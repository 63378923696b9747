import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app';
import { fakeApi, problem, meFor } from '../test-utils';
import { schedule } from '../test-fixtures';

const GOOD = 'esk_front-desk-key-0001';

function server() {
  return fakeApi((c) => {
    const auth = c.headers.authorization;
    if (auth !== `Bearer ${GOOD}`) return problem(401, 'AUTH.UNAUTHENTICATED', 'The API key is not valid or has been revoked');
    if (c.path === '/v1/me') return { body: { ...meFor('front_desk'), name: 'Reception 1' } };
    if (c.path === '/v1/schedule') return { body: schedule(c.query.get('date') ?? '') };
    return undefined;
  });
}

describe('sign-in', () => {
  it('refuses a wrong key with the server’s reason and keeps nothing', async () => {
    server();
    render(<App />);
    await userEvent.type(screen.getByLabelText('API key'), 'esk_wrong-key-000');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That key was not accepted: The API key is not valid or has been revoked');
    expect(window.sessionStorage.getItem('esi.apiKey')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('signs in with a valid key: shows the role, sends the key as bearer and keeps it for the tab only', async () => {
    const api = server();
    render(<App />);
    await userEvent.type(screen.getByLabelText('API key'), `  ${GOOD} {enter}`);
    expect((await screen.findByTestId('role')).textContent).toBe('Front desk');
    expect(screen.getByText('Reception 1')).toBeTruthy();
    expect(window.sessionStorage.getItem('esi.apiKey')).toBe(GOOD);
    expect(window.localStorage.length).toBe(0);
    expect(api.calls.every((c) => c.headers.authorization === `Bearer ${GOOD}`)).toBe(true);
    await screen.findByText('No injections on this day.');
  });

  it('returns to sign-in when the key is refused later (401), saying why', async () => {
    window.sessionStorage.setItem('esi.apiKey', GOOD);
    let revoked = false;
    fakeApi((c) => {
      if (c.path === '/v1/me') return { body: { ...meFor('front_desk'), name: 'Reception 1' } };
      if (revoked) return problem(401, 'AUTH.UNAUTHENTICATED', 'The API key is not valid or has been revoked');
      if (c.path === '/v1/schedule') return { body: schedule(c.query.get('date') ?? '') };
      return undefined;
    });
    render(<App />);
    await screen.findByText('No injections on this day.');
    revoked = true;
    await userEvent.click(screen.getByRole('button', { name: 'Next day' }));
    expect(await screen.findByLabelText('API key')).toBeTruthy();
    expect(screen.getByText(/refused.*Sign in again/)).toBeTruthy();
    expect(window.sessionStorage.getItem('esi.apiKey')).toBeNull();
  });

  it('signing out forgets the key', async () => {
    window.sessionStorage.setItem('esi.apiKey', GOOD);
    server();
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(screen.getByLabelText('API key')).toBeTruthy();
    expect(window.sessionStorage.getItem('esi.apiKey')).toBeNull();
  });
});
