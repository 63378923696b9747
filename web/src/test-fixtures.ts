// Typed API answers for component tests (the generated types keep them in step with the server).
import type { Episode, HistoryItem, History, PatientDetail, Schedule } from './api/types';

export const ZONE = 'America/New_York';
export const PATIENT_ID = '6f1c2a52-0c55-4a4e-9a38-1f0f0e6c0001';
export const EPISODE_ID = '0b7e1d11-5b5e-4d4f-8d3c-2a0a6e0c0002';

export function episode(over: Partial<Episode> = {}): Episode {
  return {
    id: EPISODE_ID,
    patientId: PATIENT_ID,
    region: 'lumbar',
    diagnosis: 'L5 radiculopathy',
    conservativeCareStartedOn: '2026-06-01',
    therapies: ['medication'],
    severity: 'moderate',
    neurologicalSigns: [],
    status: 'open',
    closedReason: null,
    closedAt: null,
    r1Exempt: false,
    conservativeTrialEndsOn: '2026-07-13',
    redFlags: [],
    clearedRedFlags: [],
    redFlagBlocked: false,
    allowInjections: 2,
    consultations: [],
    redFlagClearances: [],
    createdAt: '2026-06-01T14:00:00.000Z',
    updatedAt: '2026-06-01T14:00:00.000Z',
    ...over,
  };
}

export function injection(over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000010',
    patientId: PATIENT_ID,
    episodeId: EPISODE_ID,
    scheduledAt: '2026-11-13T14:00:00.000Z',
    localDate: '2026-11-13',
    levels: ['L4-L5'],
    level: 'L4-L5',
    approach: 'transforaminal',
    side: 'left',
    status: 'completed',
    performedAt: '2026-11-13T14:30:00.000Z',
    cancelReason: null,
    outcome: null,
    createdAt: '2026-11-01T14:00:00.000Z',
    updatedAt: '2026-11-13T14:30:00.000Z',
    region: 'lumbar',
    daysSincePrevious: null,
    ...over,
  };
}

export function patient(over: Partial<PatientDetail> = {}): PatientDetail {
  return {
    id: PATIENT_ID,
    mrn: 'MRN-1042',
    givenName: 'Ada',
    familyName: 'Example',
    birthDate: '1970-05-04',
    phone: null,
    email: null,
    createdAt: '2026-06-01T14:00:00.000Z',
    updatedAt: '2026-06-01T14:00:00.000Z',
    openEpisode: episode(),
    lastInjection: null,
    nextInjection: null,
    flags: [],
    ...over,
  };
}

export const history = (items: HistoryItem[]): History => ({ patientId: PATIENT_ID, timeZone: ZONE, items });

export function schedule(date: string, items: Partial<Schedule['items'][number]>[] = []): Schedule {
  return {
    date,
    timeZone: ZONE,
    items: items.map((i) => ({
      ...injection({ status: 'scheduled', performedAt: null }),
      patient: { id: PATIENT_ID, mrn: 'MRN-1042', givenName: 'Ada', familyName: 'Example' },
      ...i,
    })),
    nextCursor: null,
  };
}
