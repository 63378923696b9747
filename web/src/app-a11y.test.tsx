// Keyboard and screen-reader basics of the shell: a skip link to the content, the focus on the page
// heading after sign-in and after each navigation, a tab title per view, and page changes read out from
// a live region that is on the page before it speaks.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './app';
import { fakeApi, meFor } from './test-utils';
import { patient, schedule } from './test-fixtures';

function server() {
  return fakeApi((c) => {
    if (c.path === '/v1/me') return { body: meFor('admin') };
    if (c.path === '/v1/schedule') return { body: schedule(c.query.get('date') ?? '') };
    if (c.path === '/v1/patients') return { body: { items: [patient()], nextCursor: null } };
    if (c.path === '/v1/api-keys') return { body: { items: [] } };
    return undefined;
  });
}

describe('shell accessibility', () => {
  it('after sign-in focuses the page heading, names the tab, and offers a skip link to the content', async () => {
    server();
    render(<App />);
    expect(document.title).toBe('Sign in · ESI Scheduler');
    await userEvent.type(screen.getByLabelText('API key'), 'esk_admin-key-0001');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const heading = await screen.findByRole('heading', { level: 1, name: /^Today: / });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(document.title).toMatch(/^Today: .* · ESI Scheduler$/);
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(skip.getAttribute('href')).toBe('#main');
    expect(document.getElementById('main')?.tagName).toBe('MAIN');
    await waitFor(() => expect(screen.getByTestId('announcer').textContent).toMatch(/^Today: .* page$/));
  });

  it('moves the focus to the new heading on navigation, retitles the tab and announces the page', async () => {
    server();
    window.sessionStorage.setItem('esi.apiKey', 'esk_admin-key-0001');
    render(<App />);
    const announcer = await screen.findByTestId('announcer');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await userEvent.click(within(nav).getByRole('link', { name: 'Patients' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Patients' });
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Patients · ESI Scheduler');
    await waitFor(() => expect(announcer.textContent).toBe('Patients page'));
    await userEvent.click(within(nav).getByRole('link', { name: 'API keys' }));
    expect(document.activeElement).toBe(await screen.findByRole('heading', { level: 1, name: 'API keys' }));
    expect(document.title).toBe('API keys · ESI Scheduler');
  });
});
