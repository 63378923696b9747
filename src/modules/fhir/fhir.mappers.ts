// Pure mappers from the service's records to FHIR R4 resources. No I/O, no clock: the same record always
// gives the same resources. Every resource they can produce is checked by two outside validators in
// test/unit/fhir-mappers.test.ts (Medplum's StructureDefinition validator and the official JSON schema).
import {
  BODY_SITE,
  DURATION_MINUTES,
  ESI_APPOINTMENT_TYPE,
  LATERALITY,
  NEUROLOGICAL_SIGN_TEXT,
  PAIN_SEVERITY,
  PERCENT_IMPROVEMENT,
  RELIEF_LASTED,
  SEVERITY,
  SYSTEMS,
  cptLines,
  type Region,
} from './fhir-codes.ts';
import type { CodeableConcept, EpisodeSource, InjectionSource, PatientRecord, PatientSource, Resource } from './fhir.types.ts';

const patientRef = (id: string) => ({ reference: `Patient/${id}` });
const conditionRef = (episodeId: string) => ({ reference: `Condition/${episodeId}` });

const REGION_TEXT: Record<Region, string> = { lumbar: 'lumbar', cervical: 'cervical', thoracic: 'thoracic' };
const APPROACH_TEXT = { transforaminal: 'Transforaminal', interlaminar: 'Interlaminar', caudal: 'Caudal' } as const;

export function toFhirPatient(p: PatientSource): Resource {
  const telecom = [...(p.phone ? [{ system: 'phone', value: p.phone }] : []), ...(p.email ? [{ system: 'email', value: p.email }] : [])];
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }] },
        system: SYSTEMS.mrn,
        value: p.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: p.familyName, given: [p.givenName] }],
    ...(telecom.length ? { telecom } : {}),
    birthDate: p.birthDate,
  };
}

export function toFhirEpisodeOfCare(e: EpisodeSource): Resource {
  return {
    resourceType: 'EpisodeOfCare',
    id: e.id,
    status: e.status === 'open' ? 'active' : 'finished',
    type: [{ text: `Conservative care and epidural steroid injections, ${REGION_TEXT[e.region]} spine` }],
    diagnosis: [{ condition: conditionRef(e.id), rank: 1 }],
    patient: patientRef(e.patientId),
    period: { start: e.conservativeCareStartedOn, ...(e.closedAt ? { end: e.closedAt } : {}) },
  };
}

export function toFhirCondition(e: EpisodeSource): Resource {
  const evidence = e.neurologicalSigns.map((s) => ({ code: [{ text: NEUROLOGICAL_SIGN_TEXT[s] ?? s }] }));
  return {
    resourceType: 'Condition',
    id: e.id,
    clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: e.status === 'open' ? 'active' : 'inactive' }] },
    verificationStatus: { coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed' }] },
    category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] }],
    severity: { coding: [SEVERITY[e.severity]] },
    code: { text: e.diagnosis },
    bodySite: [{ coding: [BODY_SITE[e.region]] }],
    subject: patientRef(e.patientId),
    recordedDate: e.createdAt,
    ...(evidence.length ? { evidence } : {}),
  };
}

/** "L4-L5 and L5-S1", or the sacral hiatus for a caudal entry. */
function levelsText(i: Pick<InjectionSource, 'levels' | 'approach'>): string {
  if (i.approach === 'caudal' || i.levels.length === 0) return 'sacral hiatus';
  return i.levels.join(' and ');
}

function procedureText(i: InjectionSource, region: Region): string {
  const side = i.side === 'midline' ? 'midline' : i.side;
  return `${APPROACH_TEXT[i.approach]} epidural steroid injection, ${REGION_TEXT[region]}, ${levelsText(i)}, ${side}`;
}

const APPOINTMENT_STATUS = { scheduled: 'booked', completed: 'fulfilled', cancelled: 'cancelled', no_show: 'noshow' } as const;

/** Every injection as an Appointment; its CPT lines (primary and add-on levels) are its service types. */
export function toFhirAppointment(i: InjectionSource, region: Region): Resource {
  const minutes = DURATION_MINUTES[i.approach];
  const start = new Date(i.scheduledAt);
  return {
    resourceType: 'Appointment',
    id: i.id,
    status: APPOINTMENT_STATUS[i.status],
    ...(i.status === 'cancelled' && i.cancelReason ? { cancelationReason: { text: i.cancelReason } } : {}),
    serviceType: cptLines(region, i.approach, i.levels.length).map((c) => ({ coding: [c] })),
    appointmentType: { coding: [ESI_APPOINTMENT_TYPE] },
    reasonReference: [conditionRef(i.episodeId)],
    description: procedureText(i, region),
    start: start.toISOString(),
    end: new Date(start.getTime() + minutes * 60_000).toISOString(),
    minutesDuration: minutes,
    participant: [{ actor: patientRef(i.patientId), required: 'required', status: 'accepted' }],
  };
}

/** Body sites: the spinal region (sacrum for a caudal entry) naming the levels, then the laterality.
 * R4's Procedure has no laterality element; the SNOMED CT qualifier is given as a second body site. */
function bodySites(i: InjectionSource, region: Region): CodeableConcept[] {
  const site = i.approach === 'caudal' ? BODY_SITE.sacrum : BODY_SITE[region];
  const laterality = LATERALITY[i.side];
  return [{ coding: [site], text: levelsText(i) }, ...(laterality ? [{ coding: [laterality], text: laterality.display }] : [])];
}

/** A completed injection as a Procedure, coded with its primary CPT code; add-on levels are in the text. */
export function toFhirProcedure(i: InjectionSource, region: Region): Resource | null {
  if (i.status !== 'completed' || !i.performedAt) return null;
  const [primary, ...addOns] = cptLines(region, i.approach, i.levels.length);
  const codes = [primary, ...addOns].map((c) => c?.code).join(' + ');
  return {
    resourceType: 'Procedure',
    id: i.id,
    status: 'completed',
    code: { coding: primary ? [primary] : [], text: `${procedureText(i, region)} (CPT ${codes})` },
    subject: patientRef(i.patientId),
    performedDateTime: i.performedAt,
    reasonReference: [conditionRef(i.episodeId)],
    bodySite: bodySites(i, region),
  };
}

const SURVEY = [{ coding: [{ system: SYSTEMS.observationCategory, code: 'survey', display: 'Survey' }] }];

/** The outcome of a completed injection: pain before and after (LOINC 72514-3) and the improvement. */
export function toFhirObservations(i: InjectionSource): Resource[] {
  const o = i.outcome;
  if (i.status !== 'completed' || !o) return [];
  const base = { status: 'final', category: SURVEY, subject: patientRef(i.patientId), partOf: [{ reference: `Procedure/${i.id}` }] };
  const beforeId = `${i.id}-pain-before`;
  const afterId = `${i.id}-pain-after`;
  const improvement: Resource = {
    resourceType: 'Observation',
    id: `${i.id}-improvement`,
    ...base,
    code: { coding: [PERCENT_IMPROVEMENT], text: 'Improvement in pain after the injection (%)' },
    effectiveDateTime: o.assessedOn,
    ...(o.percentImprovement === null
      ? {
          dataAbsentReason: {
            coding: [{ system: SYSTEMS.dataAbsentReason, code: 'not-applicable', display: 'Not Applicable' }],
            text: 'Cannot be derived: there was no pain before the injection',
          },
        }
      : { valueQuantity: { value: o.percentImprovement, unit: '%', system: SYSTEMS.ucum, code: '%' } }),
    derivedFrom: [{ reference: `Observation/${beforeId}` }, { reference: `Observation/${afterId}` }],
    ...(o.reliefLastedDays === null
      ? {}
      : {
          component: [
            {
              code: { coding: [RELIEF_LASTED], text: 'Relief of at least 50% lasted (days)' },
              valueQuantity: { value: o.reliefLastedDays, unit: 'days', system: SYSTEMS.ucum, code: 'd' },
            },
          ],
        }),
  };
  return [
    {
      resourceType: 'Observation',
      id: beforeId,
      ...base,
      code: { coding: [PAIN_SEVERITY], text: 'Pain before the injection (0-10)' },
      effectiveDateTime: i.performedAt ?? i.scheduledAt,
      valueInteger: o.painBefore,
    },
    {
      resourceType: 'Observation',
      id: afterId,
      ...base,
      code: { coding: [PAIN_SEVERITY], text: 'Pain at the follow-up assessment (0-10)' },
      effectiveDateTime: o.assessedOn,
      valueInteger: o.painAfter,
    },
    improvement,
  ];
}

export type RecordResourceType = 'Patient' | 'EpisodeOfCare' | 'Condition' | 'Appointment' | 'Procedure' | 'Observation';

/** The resources of one type a patient's record holds, oldest first. */
export function recordResources(record: PatientRecord, type: RecordResourceType): Resource[] {
  const regions = new Map(record.episodes.map((e) => [e.id, e.region]));
  const regionOf = (i: InjectionSource): Region => {
    const region = regions.get(i.episodeId);
    if (!region) throw new Error(`injection ${i.id} names an episode outside the record`);
    return region;
  };
  switch (type) {
    case 'Patient':
      return [toFhirPatient(record.patient)];
    case 'EpisodeOfCare':
      return record.episodes.map(toFhirEpisodeOfCare);
    case 'Condition':
      return record.episodes.map(toFhirCondition);
    case 'Appointment':
      return record.injections.map((i) => toFhirAppointment(i, regionOf(i)));
    case 'Procedure':
      return record.injections.flatMap((i) => toFhirProcedure(i, regionOf(i)) ?? []);
    case 'Observation':
      return record.injections.flatMap(toFhirObservations);
  }
}
