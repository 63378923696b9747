// A patient with every kind of history the FHIR API can express: an open lumbar episode with red flags
// and signs, a closed cervical one, and injections of every status, approach and outcome form.
import type { EpisodeSource, InjectionSource, PatientRecord } from '../../../src/modules/fhir/fhir.types.ts';

export const PATIENT_ID = '6f1c7a52-3a1b-4c43-9d8e-0b1f4f6b2a10';
const LUMBAR = '0b7f6a3e-5d2c-4e1a-8f9b-1c2d3e4f5a60';
const CERVICAL = '1c8a7b4f-6e3d-4f2b-9a0c-2d3e4f5a6b71';

const episode = (over: Partial<EpisodeSource> & Pick<EpisodeSource, 'id'>): EpisodeSource => ({
  patientId: PATIENT_ID,
  region: 'lumbar',
  diagnosis: 'L5 radiculopathy',
  conservativeCareStartedOn: '2027-01-04',
  severity: 'moderate',
  neurologicalSigns: [],
  status: 'open',
  closedAt: null,
  createdAt: '2027-01-04T15:00:00.000Z',
  ...over,
});

let n = 0;
const injection = (over: Partial<InjectionSource>): InjectionSource => {
  n += 1;
  return {
    id: `2d9b8c50-7f4e-4a3c-8b1d-${String(n).padStart(12, '0')}`,
    patientId: PATIENT_ID,
    episodeId: LUMBAR,
    scheduledAt: '2027-03-01T14:00:00.000Z',
    localDate: '2027-03-01',
    levels: ['L4-L5'],
    approach: 'transforaminal',
    side: 'left',
    status: 'scheduled',
    performedAt: null,
    cancelReason: null,
    outcome: null,
    ...over,
  };
};

export const FULL_HISTORY: PatientRecord = {
  patient: {
    id: PATIENT_ID,
    mrn: 'MRN-0042',
    givenName: 'Ada',
    familyName: 'Lovelace',
    birthDate: '1961-12-10',
    phone: '+1 555 0100',
    email: 'ada@example.org',
  },
  episodes: [
    episode({
      id: CERVICAL,
      region: 'cervical',
      diagnosis: 'C6 radiculopathy',
      conservativeCareStartedOn: '2026-01-05',
      severity: 'severe',
      neurologicalSigns: ['weakness', 'reflex_loss'],
      status: 'closed',
      closedAt: '2026-09-01T13:00:00.000Z',
      createdAt: '2026-01-05T15:00:00.000Z',
    }),
    episode({ id: LUMBAR, neurologicalSigns: ['numbness', 'bowel_bladder', 'saddle_anesthesia'], severity: 'mild' }),
  ],
  injections: [
    // Cervical: interlaminar completed with an outcome and a known relief duration; transforaminal two levels.
    injection({
      episodeId: CERVICAL,
      scheduledAt: '2026-03-02T15:00:00.000Z',
      localDate: '2026-03-02',
      levels: ['C6-C7'],
      approach: 'interlaminar',
      side: 'midline',
      status: 'completed',
      performedAt: '2026-03-02T15:20:00.000Z',
      outcome: { painBefore: 8, painAfter: 2, percentImprovement: 75, assessedOn: '2026-03-16', reliefLastedDays: 60 },
    }),
    injection({
      episodeId: CERVICAL,
      scheduledAt: '2026-05-04T14:00:00.000Z',
      localDate: '2026-05-04',
      levels: ['C5-C6', 'C6-C7'],
      approach: 'transforaminal',
      side: 'right',
      status: 'completed',
      performedAt: '2026-05-04T14:10:00.000Z',
      outcome: null,
    }),
    // Lumbar: two-level transforaminal bilateral, completed, no pain before (percent cannot be derived).
    injection({
      scheduledAt: '2027-02-16T14:00:00.000Z',
      localDate: '2027-02-16',
      levels: ['L4-L5', 'L5-S1'],
      side: 'bilateral',
      status: 'completed',
      performedAt: '2027-02-16T14:25:00.000Z',
      outcome: { painBefore: 0, painAfter: 0, percentImprovement: null, assessedOn: '2027-03-02', reliefLastedDays: null },
    }),
    // Caudal, completed, pain got worse (0 %).
    injection({
      scheduledAt: '2027-03-02T14:00:00.000Z',
      localDate: '2027-03-02',
      levels: [],
      approach: 'caudal',
      side: 'midline',
      status: 'completed',
      performedAt: '2027-03-02T14:05:00.000Z',
      outcome: { painBefore: 5, painAfter: 6, percentImprovement: 0, assessedOn: '2027-03-20', reliefLastedDays: 0 },
    }),
    injection({ scheduledAt: '2027-03-20T13:00:00.000Z', localDate: '2027-03-20', status: 'cancelled', cancelReason: 'Patient unwell' }),
    injection({ scheduledAt: '2027-03-21T13:00:00.000Z', localDate: '2027-03-21', status: 'cancelled', cancelReason: null }),
    injection({ scheduledAt: '2027-04-01T13:00:00.000Z', localDate: '2027-04-01', levels: ['L5-S1'], side: 'right', status: 'no_show' }),
    injection({
      scheduledAt: '2027-04-16T13:30:00.000Z',
      localDate: '2027-04-16',
      levels: ['L3-L4'],
      approach: 'interlaminar',
      side: 'midline',
    }),
  ],
};
