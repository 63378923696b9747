// The shapes the FHIR mappers read (the service's own patient, episode and injection, as declared here so
// the mappers do not depend on how the data layer is built) and the FHIR R4 shapes they write: only the
// elements this API produces.
import type { Approach, Coding, Region, Side } from './fhir-codes.ts';

export type IsoDate = string;
export type Instant = string;

export interface PatientSource {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: IsoDate;
  phone: string | null;
  email: string | null;
}

export interface EpisodeSource {
  id: string;
  patientId: string;
  region: Region;
  diagnosis: string;
  conservativeCareStartedOn: IsoDate;
  severity: 'mild' | 'moderate' | 'severe';
  neurologicalSigns: readonly string[];
  status: 'open' | 'closed';
  closedAt: Instant | null;
  createdAt: Instant;
}

export interface OutcomeSource {
  painBefore: number;
  painAfter: number;
  percentImprovement: number | null;
  assessedOn: IsoDate;
  reliefLastedDays: number | null;
}

export interface InjectionSource {
  id: string;
  patientId: string;
  episodeId: string;
  scheduledAt: Instant;
  localDate: IsoDate;
  /** Interspaces such as "L4-L5", head to tail; empty for a caudal entry. */
  levels: readonly string[];
  approach: Approach;
  side: Side;
  status: 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  performedAt: Instant | null;
  cancelReason: string | null;
  outcome: OutcomeSource | null;
}

/** One patient's whole record, as the FHIR searches read it. */
export interface PatientRecord {
  patient: PatientSource;
  episodes: readonly EpisodeSource[];
  injections: readonly InjectionSource[];
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Reference {
  reference: string;
  display?: string;
}
export interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
}

export interface Resource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

export interface BundleLink {
  relation: 'self' | 'next';
  url: string;
}

/** A type alias (not an interface) so it is assignable where any JSON object is. */
export type SearchsetBundle = {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  link: BundleLink[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: 'match' } }[];
};

export type IssueType =
  | 'invalid'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'conflict'
  | 'too-long'
  | 'throttled'
  | 'processing'
  | 'exception'
  | 'transient';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'fatal' | 'error' | 'warning' | 'information'; code: IssueType; diagnostics: string; details?: CodeableConcept }[];
}
