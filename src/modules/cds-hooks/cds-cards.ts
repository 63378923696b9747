// The pure half of the appointment-book service: which proposed appointments are ESIs, the clinic date
// each is judged on, and the cards that answer. No I/O and no clock; the eligibility it is given comes
// from the same service as GET /v1/patients/:id/eligibility.
import { DateTime } from 'luxon';
import { LOCAL_ESI_CODE, SYSTEMS } from '../fhir/fhir-codes.ts';
import type { CdsCard, ProposedAppointment } from './cds-hooks.schemas.ts';

export const SOURCE_LABEL = 'ESI Scheduler';

export interface Blocker {
  rule: string;
  message: string;
  until: string | null;
}

export interface CoverageIssue {
  check: string;
  message: string;
  until: string | null;
}

/** What GET /v1/patients/:id/eligibility answers; `coverage` once payer policies are judged. */
export interface EligibilityView {
  eligible: boolean;
  on: string;
  earliestEligibleDate: string | null;
  blockers: readonly Blocker[];
  coverage?: { policyId: string; covered: boolean; issues: readonly CoverageIssue[] } | null;
}

export interface ClinicalFlagView {
  flag: string;
  message: string;
}

export interface CardContext {
  /** The service's own patient id (links point at its dashboard page). */
  patientId: string;
  publicUrl: string;
  zone: string;
}

type Appointments = { resourceType: 'Bundle'; entry?: { resource: ProposedAppointment }[] | undefined } | ProposedAppointment[];

/** The proposed appointments, whether sent as a Bundle or as a plain array. */
export function appointmentsOf(appointments: Appointments): ProposedAppointment[] {
  return Array.isArray(appointments) ? appointments : (appointments.entry ?? []).map((e) => e.resource);
}

/** An ESI: a CPT code of the configured set (CPT system or none) or the local `esi` code, in a
 * serviceType or the appointmentType. */
export function isEsiAppointment(a: ProposedAppointment, cptCodes: readonly string[]): boolean {
  const codings = [...(a.serviceType ?? []), ...(a.appointmentType ? [a.appointmentType] : [])].flatMap((c) => c.coding ?? []);
  return codings.some(
    (c) =>
      (c.code !== undefined && cptCodes.includes(c.code) && (c.system === undefined || c.system === SYSTEMS.cpt)) ||
      (c.code === LOCAL_ESI_CODE && (c.system === undefined || c.system === SYSTEMS.appointmentType)),
  );
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The clinic date of an appointment's start, or null when `start` is not an instant with an offset. */
export function clinicDateOf(start: string | undefined, zone: string): string | null {
  if (!start || !INSTANT.test(start)) return null;
  const dt = DateTime.fromISO(start, { setZone: true });
  return dt.isValid ? dt.setZone(zone).toISODate() : null;
}

/**
 * The appointment moved to `date` at the same clinic-local time of day, its length kept. Local time is
 * what the patient was told; a time that does not exist that day (a spring-forward gap) moves forward
 * by the gap, as the clinic's clock does.
 */
export function moveToDate(a: ProposedAppointment, date: string, zone: string): ProposedAppointment {
  const start = DateTime.fromISO(a.start ?? '', { setZone: true }).setZone(zone);
  const [year, month, day] = date.split('-').map(Number);
  const moved = start.set({ year, month, day });
  const end = a.end === undefined ? undefined : DateTime.fromISO(a.end, { setZone: true });
  const lengthMs = end?.isValid ? end.toMillis() - start.toMillis() : null;
  const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true }) ?? '';
  return {
    ...a,
    start: iso(moved),
    ...(lengthMs !== null && lengthMs >= 0 ? { end: iso(moved.plus({ milliseconds: lengthMs })) } : {}),
  };
}

const RULE_LABEL: Record<string, string> = {
  R1_CONSERVATIVE_TRIAL: 'R1 conservative-care trial',
  R2_INJECTION_INTERVAL: 'R2 14-day interval',
  R3_EPISODE: 'R3 open episode',
  R4_RED_FLAG: 'R4 red flag',
  R5_CONSULTATION: 'R5 consultation',
};

/** A card summary must stay under 140 characters; longer text is cut at a word. */
export function summary(text: string): string {
  if (text.length < 140) return text;
  const cut = text.slice(0, 138);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 100))}…`;
}

function source() {
  return { label: SOURCE_LABEL };
}

function patientLink(ctx: CardContext) {
  return [
    {
      label: 'Open the patient in ESI Scheduler',
      url: `${ctx.publicUrl}/app/patients/${encodeURIComponent(ctx.patientId)}`,
      type: 'absolute' as const,
    },
  ];
}

const label = (a: ProposedAppointment) => (a.id ? `appointment ${a.id}` : 'the proposed appointment');

/** The cards for one ESI appointment judged on `date`: one critical card per violated rule (each with
 * the recommended move when an eligible date exists), then a warning per coverage issue. */
export function appointmentCards(a: ProposedAppointment, date: string, e: EligibilityView, ctx: CardContext): CdsCard[] {
  const earliest = e.earliestEligibleDate;
  const moved = earliest === null ? null : moveToDate(a, earliest, ctx.zone);
  const suggestion =
    moved === null || earliest === null
      ? {}
      : {
          suggestions: [
            {
              label: `Move to ${earliest} at ${DateTime.fromISO(moved.start ?? '', { setZone: true }).toFormat('HH:mm')}`,
              isRecommended: true,
              actions: [
                {
                  type: 'update' as const,
                  description: `Move ${label(a)} to ${earliest}, the earliest eligible date, at the same time`,
                  resource: moved,
                },
              ],
            },
          ],
          selectionBehavior: 'at-most-one' as const,
        };
  const critical = e.blockers.map((b): CdsCard => ({
    summary: summary(
      `${RULE_LABEL[b.rule] ?? b.rule}: ESI on ${date} not allowed; ${earliest ? `earliest eligible date ${earliest}` : 'no eligible date until a clinician acts'}`,
    ),
    detail: `${b.message}\n\nRule: \`${b.rule}\`. Proposed date (clinic calendar): ${date}. Earliest eligible date: ${earliest ?? 'none until the blocker is resolved'}.`,
    indicator: 'critical',
    source: source(),
    ...suggestion,
    links: patientLink(ctx),
  }));
  const coverage = (e.coverage?.issues ?? []).map((i): CdsCard => ({
    summary: summary(`Coverage ${i.check}: ESI on ${date} may not be paid${i.until ? `; covered from ${i.until}` : ''}`),
    detail: `${i.message}\n\nPolicy: ${e.coverage?.policyId ?? 'unknown'}. Coverage issues never block a booking; they tell whether the payer is likely to pay.`,
    indicator: 'warning',
    source: source(),
    links: patientLink(ctx),
  }));
  return [...critical, ...coverage];
}

/** One info card per clinical flag of the patient (advice; flags never block booking). */
export function flagCards(flags: readonly ClinicalFlagView[], ctx: CardContext): CdsCard[] {
  return flags.map((f) => ({
    summary: summary(`${f.flag}: ${f.message}`),
    detail: f.message,
    indicator: 'info',
    source: source(),
    links: patientLink(ctx),
  }));
}

export function unknownPatientCard(patientId: string): CdsCard {
  return {
    summary: summary(`No patient "${patientId.slice(0, 40)}" in ESI Scheduler; the injection interval rules could not be checked`),
    detail:
      'The patient is looked up by its ESI Scheduler id, then by medical record number. Register the patient in ESI Scheduler to get interval checks.',
    indicator: 'info',
    source: source(),
  };
}

export function noStartCard(a: ProposedAppointment): CdsCard {
  return {
    summary: summary(`The ESI in ${label(a)} has no start time yet; the interval rules will be checked once it has one`),
    indicator: 'info',
    source: source(),
  };
}
