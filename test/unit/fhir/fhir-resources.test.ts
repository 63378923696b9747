// Every FHIR resource and Bundle the API can produce, for a patient with every kind of history, passes
// both outside validators with zero errors; and the validators do catch a broken resource.
import { describe, expect, it } from 'vitest';
import { recordResources, type RecordResourceType } from '../../../src/modules/fhir/fhir.mappers.ts';
import type { Resource } from '../../../src/modules/fhir/fhir.types.ts';
import {
  capabilityStatement,
  operationOutcome,
  parseSearch,
  searchsetBundle,
  SEARCH_TYPES,
} from '../../../src/modules/fhir/fhir-search.ts';
import { fhirValidationFailures, jsonSchemaValidate, medplumValidate } from '../../helpers/fhir-validators.ts';
import { FULL_HISTORY, PATIENT_ID } from './fixtures.ts';

const BASE = 'https://esi.example.org/fhir/R4';
const TYPES: RecordResourceType[] = ['Patient', 'EpisodeOfCare', 'Condition', 'Appointment', 'Procedure', 'Observation'];
type Any = Resource & Record<string, any>;
const all = Object.fromEntries(TYPES.map((t) => [t, recordResources(FULL_HISTORY, t)])) as Record<RecordResourceType, Any[]>;

describe('resources of a patient with every kind of history', () => {
  it('holds every form: all appointment statuses, procedures of each approach, outcomes with and without a percentage', () => {
    expect(all.Patient).toHaveLength(1);
    expect(all.EpisodeOfCare.map((e) => e.status).sort()).toEqual(['active', 'finished']);
    expect(new Set(all.Appointment.map((a) => a.status))).toEqual(new Set(['booked', 'fulfilled', 'cancelled', 'noshow']));
    expect(all.Procedure).toHaveLength(4);
    expect(all.Observation).toHaveLength(9);
    expect(all.Observation.filter((o) => o.dataAbsentReason)).toHaveLength(1);
  });

  it('passes both outside validators with zero errors, resource by resource', () => {
    const resources = TYPES.flatMap((t) => all[t]);
    expect(resources.length).toBe(1 + 2 + 2 + 8 + 4 + 9);
    expect(fhirValidationFailures(resources)).toEqual([]);
  }, 120_000);

  it('passes them as searchset Bundles (first page with a next link, last page, empty), OperationOutcomes and the CapabilityStatement', () => {
    const bundles = SEARCH_TYPES.flatMap((type) => {
      const filter = type === 'Patient' ? { identifier: 'MRN-0042' } : { patient: PATIENT_ID };
      const first = searchsetBundle(BASE, parseSearch(type, { ...filter, _count: '2' }), all[type]);
      const last = searchsetBundle(BASE, parseSearch(type, { ...filter, _count: '2', _offset: '2' }), all[type]);
      const empty = searchsetBundle(BASE, parseSearch(type, { ...filter, _count: '0' }), []);
      return [first, last, empty];
    });
    const outcomes = [400, 401, 403, 404, 429, 500, 503].map((s) =>
      operationOutcome(s, 'X.Y', 'Something went wrong', 'req-1', { errors: [{ path: 'querystring.x', message: 'is bad' }] }),
    );
    const documents = [...bundles, ...outcomes, capabilityStatement(BASE, '1.2.3', '2027-01-01')];
    expect(fhirValidationFailures(documents)).toEqual([]);
  }, 120_000);

  it('pages with total and next links that lead to the rest', () => {
    const req = parseSearch('Observation', { patient: `Patient/${PATIENT_ID}`, _count: '4' });
    const first = searchsetBundle(BASE, req, all.Observation);
    expect(first.total).toBe(9);
    expect(first.entry).toHaveLength(4);
    const next = first.link.find((l) => l.relation === 'next')!.url;
    const nextQuery = Object.fromEntries(new URL(next).searchParams);
    expect(nextQuery).toEqual({ patient: PATIENT_ID, _count: '4', _offset: '4' });
    const third = searchsetBundle(BASE, parseSearch('Observation', { ...nextQuery, _offset: '8' }), all.Observation);
    expect(third.entry).toHaveLength(1);
    expect(third.link.map((l) => l.relation)).toEqual(['self']);
  });
});

describe('the validators themselves', () => {
  it('each catch what they are there to catch', () => {
    const appointment = all.Appointment[0]!;
    // A wrong code binding: only the JSON schema knows Appointment.status's codes.
    const badStatus = { ...appointment, status: 'postponed' };
    expect(jsonSchemaValidate([badStatus])[0]!.errors.length).toBeGreaterThan(0);
    // A broken invariant (app-3: a booked appointment needs start and end): only Medplum evaluates FHIRPath.
    const { start: _s, end: _e, ...noTimes } = appointment;
    expect(medplumValidate([noTimes])[0]!.errors.length).toBeGreaterThan(0);
    // A wrong type and an unknown element.
    expect(
      fhirValidationFailures([{ ...all.Patient[0], birthDate: '10/12/1961', nickname: 'Ada' }])
        .map((f) => f.validator)
        .sort(),
    ).toEqual(['fhir.schema.json', 'medplum']);
  }, 120_000);
});
