import type { Prisma } from '../../generated/prisma/client.ts';
import { dateToIso, optionalInstant } from '../../shared/dates.ts';
import { hasR1Exemption, r1EarliestDate, type EpisodeFacts } from '../injections/injection.rules.ts';

export const episodeSelect = {
  id: true,
  patientId: true,
  region: true,
  diagnosis: true,
  conservativeCareStartedOn: true,
  therapies: true,
  severity: true,
  neurologicalSigns: true,
  status: true,
  closedReason: true,
  closedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.EpisodeSelect;

export type EpisodeRow = Prisma.EpisodeGetPayload<{ select: typeof episodeSelect }>;

export function toEpisodeFacts(r: EpisodeRow): EpisodeFacts {
  return {
    id: r.id,
    patientId: r.patientId,
    status: r.status,
    conservativeCareStartedOn: dateToIso(r.conservativeCareStartedOn),
    severity: r.severity,
    neurologicalSigns: r.neurologicalSigns,
  };
}

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
    conservativeTrialEndsOn: r1EarliestDate(facts),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
