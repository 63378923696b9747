import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignedIn, fakeApi } from '../test-utils';
import { patient, schedule } from '../test-fixtures';
import { TodayView } from './today-view';

afterEach(() => {
  vi.useRealTimers();
});

describe('Today', () => {
  it('shows the clinic’s today and clinic times, whatever zone the browser is in', async () => {
    // 03:30Z on Jan 13: still Jan 12 in New York (the clinic), already Jan 13 in Auckland.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-13T03:30:00Z'));
    const api = fakeApi((c) =>
      c.path === '/v1/schedule'
        ? {
            body: schedule(
              c.query.get('date') ?? '',
              c.query.get('date') === '2027-01-12' ? [{ scheduledAt: '2027-01-12T14:00:00.000Z', localDate: '2027-01-12' }] : [],
            ),
          }
        : c.path.startsWith('/v1/patients/')
          ? { body: patient() }
          : undefined,
    );
    render(
      <SignedIn role="front_desk">
        <TodayView date={null} />
      </SignedIn>,
    );
    expect(await screen.findByText('9:00 AM')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Today: Tuesday, January 12, 2027');
    expect(api.calls.filter((c) => c.path === '/v1/schedule').map((c) => c.query.get('date'))).toEqual(['2027-01-12']);
  });

  it('shows the whole day when the server sends it in pages', async () => {
    const api = fakeApi((c) => {
      if (c.path !== '/v1/schedule') return undefined;
      const at = (h: number) => ({ id: `00000000-0000-4000-8000-00000000000${h}`, scheduledAt: `2027-01-12T${h + 10}:00:00.000Z` });
      return c.query.get('cursor') === 'page-2'
        ? { body: { ...schedule('2027-01-12', [at(3)]), nextCursor: null } }
        : { body: { ...schedule('2027-01-12', [at(1), at(2)]), nextCursor: 'page-2' } };
    });
    render(
      <SignedIn role="front_desk">
        <TodayView date="2027-01-12" />
      </SignedIn>,
    );
    // 08:00 is on the second page.
    expect(await screen.findByText('8:00 AM')).toBeTruthy();
    expect(screen.getByText('6:00 AM')).toBeTruthy();
    expect(screen.getByText(/^3 injections/)).toBeTruthy();
    expect(api.calls.filter((c) => c.path === '/v1/schedule').map((c) => c.query.get('cursor'))).toEqual([null, 'page-2']);
  });

  it('says so when the day is empty, and shows the server’s detail when loading fails', async () => {
    let fail = true;
    fakeApi((c) => {
      if (c.path !== '/v1/schedule') return undefined;
      return fail
        ? {
            status: 503,
            body: {
              type: 'about:blank',
              title: 'Service Unavailable',
              status: 503,
              code: 'DATABASE.UNAVAILABLE',
              detail: 'The database is not reachable; try again shortly.',
            },
          }
        : { body: schedule(c.query.get('date') ?? '') };
    });
    render(
      <SignedIn role="clinician">
        <TodayView date="2027-01-12" />
      </SignedIn>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('The database is not reachable; try again shortly.');
    fail = false;
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(await screen.findByText('No injections on this day.')).toBeTruthy();
  });
});
