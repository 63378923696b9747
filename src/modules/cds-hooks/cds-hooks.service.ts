// The appointment-book service: resolves the EHR's patient, judges each proposed ESI on its clinic date
// through the same eligibility as GET /v1/patients/:id/eligibility, adds the patient's clinical flags,
// and answers cards. Every call is audited as a read of that patient (the look-up, the eligibility and
// the patient view each write their audit row).
import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../audit/audit.repository.ts';
import { AppError } from '../../shared/errors.ts';
import { InjectionReadsService } from '../injections/injection-reads.service.ts';
import { PatientsService } from '../patients/patients.service.ts';
import {
  appointmentCards,
  appointmentsOf,
  clinicDateOf,
  flagCards,
  isEsiAppointment,
  noStartCard,
  unknownPatientCard,
} from './cds-cards.ts';
import { resolveCdsPatient } from './cds-hooks.repository.ts';
import type { AppointmentBookRequest, CdsCard, CdsDiscovery, CdsResponse } from './cds-hooks.schemas.ts';

export const CDS_SERVICE_ID = 'esi-appointment-check';

export const DISCOVERY: CdsDiscovery = {
  services: [
    {
      hook: 'appointment-book',
      id: CDS_SERVICE_ID,
      title: 'ESI interval check',
      description:
        'Checks each proposed epidural steroid injection against the clinic rules (conservative-care trial, 14-day interval, open episode, red flags, consultation) on its clinic date, and suggests the earliest eligible date.',
      usageRequirements:
        'Authenticate each call with a CDS Hooks JWT from a registered issuer (aud = the service URL) or an ESI Scheduler API key. The patient is matched by ESI Scheduler id, else by MRN.',
    },
  ],
};

export class CdsHooksService {
  private readonly reads: InjectionReadsService;
  private readonly patients: PatientsService;

  constructor(private readonly deps: Deps) {
    this.reads = new InjectionReadsService(deps);
    this.patients = new PatientsService(deps);
  }

  async appointmentBook(ctx: RequestContext, body: AppointmentBookRequest): Promise<CdsResponse> {
    const zone = this.deps.config.clinicTimeZone;
    const appointments = appointmentsOf(body.context.appointments);
    const esi = appointments.map((a, index) => ({ a, index })).filter(({ a }) => isEsiAppointment(a, this.deps.config.cdsEsiCodes));
    // A malformed start is refused before anything is read: nothing is judged or audited for it.
    const errors = esi
      .filter(({ a }) => a.start !== undefined && clinicDateOf(a.start, zone) === null)
      .map(({ index }) => ({ path: `body.context.appointments.${index}.start`, message: 'must be an instant with an offset or Z' }));
    if (errors.length) throw new AppError('REQUEST.VALIDATION', 'An ESI appointment has a start that is not an instant', { errors });
    if (esi.length === 0) return { cards: [] };

    const patientId = await resolveCdsPatient(this.deps.db.pool, ctx, body.context.patientId);
    if (patientId === null) return { cards: [unknownPatientCard(body.context.patientId)] };
    const cardCtx = { patientId, publicUrl: this.deps.config.publicUrl, zone };

    // The reads are independent (each audits itself): run them together so the EHR waits for the
    // slowest one, not their sum.
    const [judgedPerAppointment, detail] = await Promise.all([
      Promise.all(
        esi.map(async ({ a }): Promise<CdsCard[]> => {
          const date = clinicDateOf(a.start, zone);
          if (date === null) return [noStartCard(a)];
          return appointmentCards(a, date, await this.reads.eligibility(ctx, patientId, date), cardCtx);
        }),
      ),
      this.patients.detail(ctx, patientId),
    ]);
    const judged = judgedPerAppointment.flat();
    const order = { critical: 0, warning: 1, info: 2 } as const;
    const cards = [...judged, ...flagCards(detail.flags, cardCtx)];
    return { cards: cards.sort((x, y) => order[x.indicator] - order[y.indicator]) };
  }
}
