// Prisma access for injections: selects only what the DTOs need; no rules here.
import type { Prisma } from '../../generated/prisma/client.ts';
import { dateToIso, optionalDate, optionalInstant } from '../../shared/dates.ts';
import { outcomeCounts } from './injection.rules.ts';

export type Tx = Prisma.TransactionClient;

export const injectionSelect = {
  id: true,
  patientId: true,
  episodeId: true,
  scheduledAt: true,
  localDate: true,
  levels: true,
  approach: true,
  side: true,
  status: true,
  performedAt: true,
  cancelReason: true,
  painBefore: true,
  painAfter: true,
  percentImprovement: true,
  assessedOn: true,
  reliefLastedDays: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.InjectionSelect;

export type InjectionRow = Prisma.InjectionGetPayload<{ select: typeof injectionSelect }>;

export function toInjectionDto(r: InjectionRow) {
  const assessedOn = optionalDate(r.assessedOn);
  const localDate = dateToIso(r.localDate);
  return {
    id: r.id,
    patientId: r.patientId,
    episodeId: r.episodeId,
    scheduledAt: r.scheduledAt.toISOString(),
    localDate,
    levels: r.levels,
    // Older clients read one level; a caudal session enters at the sacral hiatus and has none.
    level: r.levels[0] ?? null,
    approach: r.approach,
    side: r.side,
    status: r.status,
    performedAt: optionalInstant(r.performedAt),
    cancelReason: r.cancelReason,
    outcome:
      assessedOn !== null && r.painBefore !== null && r.painAfter !== null
        ? {
            painBefore: r.painBefore,
            painAfter: r.painAfter,
            percentImprovement: r.percentImprovement,
            assessedOn,
            reliefLastedDays: r.reliefLastedDays,
            countsForFlags: outcomeCounts(localDate, assessedOn),
          }
        : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
export type InjectionDtoT = ReturnType<typeof toInjectionDto>;

/** Serialises every booking change for one patient across instances: the row lock is the queue. */
export async function lockPatient(tx: Tx, patientId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM patients WHERE id = ${patientId}::uuid FOR UPDATE`;
  return rows.length === 1;
}
