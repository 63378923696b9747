import type { Prisma } from '../../generated/prisma/client.ts';
import { dateToIso, optionalInstant } from '../../shared/dates.ts';
import {
  allowedInjections,
  conservativeTrialEndsOn,
  hasR1Exemption,
  isRedFlag,
  unclearedRedFlags,
  type EpisodeFacts,
} from '../injections/injection.rules.ts';

const recordSelect = { id: true, recordedAt: true, recordedById: true, recordedByName: true } as const;

export const episodeSelect = {
  id: true,
  patientId: true,
  region: true,
  diagnosis: true,
  conservativeCareStartedOn: true,
  therapies: true,
  severity: true,
  neurologicalSigns: true,
  clearedRedFlags: true,
  status: true,
  closedReason: true,
  closedAt: true,
  createdAt: true,
  updatedAt: true,
  consultations: { select: { ...recordSelect, allowInjections: true, note: true }, orderBy: { seq: 'asc' } },
  redFlagClearances: { select: { ...recordSelect, redFlags: true, reason: true }, orderBy: { seq: 'asc' } },
} as const satisfies Prisma.EpisodeSelect;

export type EpisodeRow = Prisma.EpisodeGetPayload<{ select: typeof episodeSelect }>;
export type ConsultationRow = EpisodeRow['consultations'][number];
export type ClearanceRow = EpisodeRow['redFlagClearances'][number];

export function toEpisodeFacts(r: EpisodeRow): EpisodeFacts {
  return {
    id: r.id,
    patientId: r.patientId,
    status: r.status,
    conservativeCareStartedOn: dateToIso(r.conservativeCareStartedOn),
    severity: r.severity,
    neurologicalSigns: r.neurologicalSigns,
    clearedRedFlags: r.clearedRedFlags,
    allowInjections: r.consultations.at(-1)?.allowInjections ?? null,
  };
}

const recordedBy = (r: { recordedById: string | null; recordedByName: string }) => ({ id: r.recordedById, name: r.recordedByName });

export const toConsultationDto = (episode: { id: string; patientId: string }, c: ConsultationRow) => ({
  id: c.id,
  episodeId: episode.id,
  patientId: episode.patientId,
  allowInjections: c.allowInjections,
  note: c.note,
  recordedAt: c.recordedAt.toISOString(),
  recordedBy: recordedBy(c),
});

export const toClearanceDto = (episode: { id: string; patientId: string }, c: ClearanceRow) => ({
  id: c.id,
  episodeId: episode.id,
  patientId: episode.patientId,
  redFlags: c.redFlags,
  reason: c.reason,
  recordedAt: c.recordedAt.toISOString(),
  recordedBy: recordedBy(c),
});

export function toEpisodeDto(r: EpisodeRow) {
  const facts = toEpisodeFacts(r);
  return {
    id: r.id,
    patientId: r.patientId,
    region: r.region,
    diagnosis: r.diagnosis,
    conservativeCareStartedOn: facts.conservativeCareStartedOn,
    therapies: r.therapies,
    severity: r.severity,
    neurologicalSigns: r.neurologicalSigns,
    status: r.status,
    closedReason: r.closedReason,
    closedAt: optionalInstant(r.closedAt),
    r1Exempt: hasR1Exemption(facts),
    conservativeTrialEndsOn: conservativeTrialEndsOn(facts),
    redFlags: r.neurologicalSigns.filter(isRedFlag),
    clearedRedFlags: r.clearedRedFlags,
    redFlagBlocked: unclearedRedFlags(facts).length > 0,
    allowInjections: allowedInjections(facts),
    consultations: r.consultations.map((c) => toConsultationDto(r, c)),
    redFlagClearances: r.redFlagClearances.map((c) => toClearanceDto(r, c)),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
