// The code systems the FHIR API and the CDS service speak (README, "Integrating with an EHR").
// - CPT (AMA) for the procedure: what US payers and EHR schedulers key ESIs on.
// - SNOMED CT for body sites, laterality and condition severity: the systems FHIR R4's own value sets
//   bind those elements to. Only codes that exist are used; where none does (a single interspace),
//   the level is given as text.
// - LOINC 72514-3 for the 0-10 pain score, as in the FHIR/US Core pain-severity observations.
// - Local code systems (urn:esi-scheduler:*) for what no standard system names: the MRN, the
//   "ESI" appointment type and the derived percent improvement.

export const SYSTEMS = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  mrn: 'urn:esi-scheduler:mrn',
  appointmentType: 'urn:esi-scheduler:appointment-type',
  observation: 'urn:esi-scheduler:observation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
} as const;

/** The local appointment-type code that marks an ESI without a CPT code. */
export const LOCAL_ESI_CODE = 'esi';

export type Region = 'lumbar' | 'cervical' | 'thoracic';
export type Approach = 'transforaminal' | 'interlaminar' | 'caudal';
export type Side = 'left' | 'right' | 'bilateral' | 'midline';

export interface Coding {
  system: string;
  code: string;
  display: string;
}

const cpt = (code: string, display: string): Coding => ({ system: SYSTEMS.cpt, code, display });

/** CPT 2017+ epidural codes, all "with imaging guidance" (the clinic injects under fluoroscopy). */
export const CPT = {
  interlaminarCervicalThoracic: cpt('62321', 'Injection, interlaminar epidural, cervical or thoracic, with imaging guidance'),
  interlaminarLumbarSacral: cpt('62323', 'Injection, interlaminar epidural, lumbar or sacral (caudal), with imaging guidance'),
  transforaminalCervicalThoracic: cpt('64479', 'Injection, transforaminal epidural, cervical or thoracic, single level'),
  transforaminalCervicalThoracicAdditional: cpt('64480', 'Injection, transforaminal epidural, cervical or thoracic, each additional level'),
  transforaminalLumbarSacral: cpt('64483', 'Injection, transforaminal epidural, lumbar or sacral, single level'),
  transforaminalLumbarSacralAdditional: cpt('64484', 'Injection, transforaminal epidural, lumbar or sacral, each additional level'),
} as const;

/**
 * The CPT lines of one session: the primary code, then one add-on per additional transforaminal level.
 * A caudal injection is CPT's "lumbar or sacral (caudal)" interlaminar code, 62323.
 */
export function cptLines(region: Region, approach: Approach, levelCount: number): Coding[] {
  const upper = region !== 'lumbar';
  switch (approach) {
    case 'caudal':
      return [CPT.interlaminarLumbarSacral];
    case 'interlaminar':
      return [upper ? CPT.interlaminarCervicalThoracic : CPT.interlaminarLumbarSacral];
    case 'transforaminal': {
      const primary = upper ? CPT.transforaminalCervicalThoracic : CPT.transforaminalLumbarSacral;
      const addOn = upper ? CPT.transforaminalCervicalThoracicAdditional : CPT.transforaminalLumbarSacralAdditional;
      return [primary, ...Array.from({ length: Math.max(0, levelCount - 1) }, () => addOn)];
    }
  }
}

const snomed = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });

/** SNOMED CT body structures of the spinal regions, and the sacrum for a caudal entry. */
export const BODY_SITE = {
  cervical: snomed('122494005', 'Cervical spine structure'),
  thoracic: snomed('122495006', 'Thoracic spine structure'),
  lumbar: snomed('122496007', 'Lumbar spine structure'),
  sacrum: snomed('54735007', 'Sacrum structure'),
} as const satisfies Record<Region | 'sacrum', Coding>;

/** SNOMED CT laterality qualifiers; a midline injection has none. */
export const LATERALITY: Record<Side, Coding | null> = {
  left: snomed('7771000', 'Left'),
  right: snomed('24028007', 'Right'),
  bilateral: snomed('51440002', 'Right and left'),
  midline: null,
};

/** FHIR R4's condition-severity value set (SNOMED CT). */
export const SEVERITY = {
  mild: snomed('255604002', 'Mild'),
  moderate: snomed('6736007', 'Moderate'),
  severe: snomed('24484000', 'Severe'),
} as const;

export const PAIN_SEVERITY = {
  system: SYSTEMS.loinc,
  code: '72514-3',
  display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
} as const satisfies Coding;

export const PERCENT_IMPROVEMENT = {
  system: SYSTEMS.observation,
  code: 'pain-improvement-percent',
  display: 'Improvement in pain after the injection, percent',
} as const satisfies Coding;

export const RELIEF_LASTED = {
  system: SYSTEMS.observation,
  code: 'relief-lasted-days',
  display: 'Days relief of at least 50 percent lasted',
} as const satisfies Coding;

export const ESI_APPOINTMENT_TYPE = {
  system: SYSTEMS.appointmentType,
  code: LOCAL_ESI_CODE,
  display: 'Epidural steroid injection',
} as const satisfies Coding;

export const NEUROLOGICAL_SIGN_TEXT: Record<string, string> = {
  numbness: 'Numbness',
  tingling: 'Tingling',
  weakness: 'Weakness',
  reflex_loss: 'Reflex loss',
  bowel_bladder: 'Bowel or bladder dysfunction (red flag: possible cauda equina syndrome)',
  saddle_anesthesia: 'Saddle anaesthesia (red flag: possible cauda equina syndrome)',
};

/** Default procedure durations (SPEC §7) give booked appointments an end. */
export const DURATION_MINUTES: Record<Approach, number> = { transforaminal: 30, interlaminar: 30, caudal: 20 };
