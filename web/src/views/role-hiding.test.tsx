// Views and actions a role may not use are not offered at all (the server would refuse them anyway).
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Role } from '../api/types';
import { App } from '../app';
import { SignedIn, fakeApi, meFor } from '../test-utils';
import { history, injection, patient, schedule } from '../test-fixtures';
import { PatientView } from './patient-view';
import { PatientsView } from './patients-view';
import { TodayView } from './today-view';

const SCHEDULED = injection({
  id: 'a1b2c3d4-0000-4000-8000-000000000020',
  status: 'scheduled',
  performedAt: null,
  localDate: '2026-12-04',
  scheduledAt: '2026-12-04T14:00:00.000Z',
  daysSincePrevious: 21,
});
const COMPLETED = injection();

function api(role: Role) {
  return fakeApi((c) => {
    if (c.path === '/v1/me') return { body: meFor(role) };
    if (c.path === '/v1/schedule') return { body: schedule(c.query.get('date') ?? '', [SCHEDULED]) };
    if (c.path === '/v1/patients') return { body: { items: [patient()], nextCursor: null } };
    if (c.path.endsWith('/injections')) return { body: history([COMPLETED, SCHEDULED]) };
    if (c.path.startsWith('/v1/patients/')) return { body: patient() };
    return undefined;
  });
}

const names = (role: 'button' | 'link') => screen.queryAllByRole(role).map((b) => b.textContent?.trim());

const EXPECT: Record<
  Role,
  { report: boolean; book: boolean; create: boolean; episode: boolean; outcome: boolean; complete: boolean; desk: boolean }
> = {
  front_desk: { report: false, book: true, create: true, episode: false, outcome: false, complete: false, desk: true },
  clinician: { report: false, book: true, create: true, episode: true, outcome: true, complete: true, desk: true },
  auditor: { report: true, book: false, create: false, episode: false, outcome: false, complete: false, desk: false },
  admin: { report: true, book: true, create: true, episode: true, outcome: true, complete: true, desk: true },
};

describe.each(Object.entries(EXPECT) as [Role, (typeof EXPECT)[Role]][])('as %s', (role, may) => {
  it(`${may.report ? 'shows' : 'hides'} the Report view in the navigation`, async () => {
    api(role);
    window.sessionStorage.setItem('esi.apiKey', 'esk_some-key-0001');
    render(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Report' }) !== null).toBe(may.report);
    expect(within(nav).queryByRole('link', { name: 'API keys' }) !== null).toBe(role === 'admin');
    expect(within(nav).getByRole('link', { name: 'Today' })).toBeTruthy();
  });

  it('offers on the patient page only the actions of the role', async () => {
    api(role);
    render(
      <SignedIn role={role}>
        <PatientView id={patient().id} />
      </SignedIn>,
    );
    await screen.findByRole('img', { name: 'Injection timeline' });
    const buttons = names('button');
    const links = names('link');
    expect(links.includes('Book injection')).toBe(may.book);
    expect(buttons.includes('Edit episode')).toBe(may.episode);
    expect(buttons.includes('Close episode')).toBe(may.episode);
    expect(buttons.includes('Record outcome')).toBe(may.outcome);
    expect(buttons.includes('Complete')).toBe(may.complete);
    expect(buttons.includes('Cancel')).toBe(may.desk);
    expect(buttons.includes('Reschedule')).toBe(may.desk);
    expect(buttons.includes('No-show')).toBe(may.desk);
  });

  it('offers on Today and Patients only the actions of the role', async () => {
    api(role);
    const { unmount } = render(
      <SignedIn role={role}>
        <TodayView date="2026-12-04" />
      </SignedIn>,
    );
    await screen.findByText('MRN MRN-1042');
    expect(names('button').includes('Complete')).toBe(may.complete);
    expect(names('button').includes('Cancel')).toBe(may.desk);
    unmount();
    render(
      <SignedIn role={role}>
        <PatientsView q="" />
      </SignedIn>,
    );
    await screen.findByText('Example, Ada');
    expect(names('button').includes('New patient')).toBe(may.create);
  });
});
