// The FHIR R4 read API's orchestration: parse the search (refusing what is not supported), read the
// patient's record in one audited statement, map it, and page it. Patient records are small (tens of
// injections), so a search maps the whole record and pages in memory; `total` is exact.
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { APP_VERSION } from '../../version.ts';
import { recordResources, toFhirPatient } from './fhir.mappers.ts';
import { fhirPatient, fhirPatientRecord } from './fhir.repository.ts';
import { capabilityStatement, matchesMrnSystem, parseSearch, searchsetBundle, type SearchType } from './fhir-search.ts';
import type { Resource, SearchsetBundle } from './fhir.types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MRN = /^[A-Za-z0-9-]{1,32}$/;

export class FhirService {
  constructor(private readonly deps: Deps) {}

  get baseUrl() {
    return `${this.deps.config.publicUrl}/fhir/R4`;
  }

  metadata(): Resource {
    return capabilityStatement(this.baseUrl, APP_VERSION, '2026-12-01');
  }

  async readPatient(ctx: RequestContext, id: string): Promise<Resource> {
    const patient = UUID.test(id) ? await fhirPatient(this.deps.db.pool, ctx, { id: id.toLowerCase() }, 'fhir.patient.read') : null;
    if (!patient) throw new AppError('PATIENT.NOT_FOUND', `Patient/${id.slice(0, 64)} is not known`);
    return toFhirPatient(patient);
  }

  async search(ctx: RequestContext, type: SearchType, query: Record<string, unknown>): Promise<SearchsetBundle> {
    const req = parseSearch(type, query);
    if (type === 'Patient') {
      const found =
        matchesMrnSystem(req.system) && MRN.test(req.value)
          ? await fhirPatient(this.deps.db.pool, ctx, { mrn: req.value }, 'fhir.patient.search')
          : null;
      return searchsetBundle(this.baseUrl, req, found ? [toFhirPatient(found)] : []);
    }
    // An id that is not one of ours matches nothing: an empty (filtered) bundle, as FHIR search does.
    const record = UUID.test(req.value)
      ? await fhirPatientRecord(this.deps.db.pool, ctx, req.value.toLowerCase(), `fhir.${type.toLowerCase()}.search`)
      : null;
    return searchsetBundle(this.baseUrl, req, record ? recordResources(record, type) : []);
  }
}
