// Prisma access for injections: selects only what the DTOs need; no rules here.
import type { Prisma } from '../../generated/prisma/client.ts';
import { dateToIso, optionalDate, optionalInstant } from '../../shared/dates.ts';
import type { InjectionFacts } from './injection.rules.ts';

export type Tx = Prisma.TransactionClient;

export const injectionSelect = {
  id: true,
  patientId: true,
  episodeId: true,
  scheduledAt: true,
  localDate: true,
  level: true,
  approach: true,
  side: true,
  status: true,
  performedAt: true,
  cancelReason: true,
  painBefore: true,
  painAfter: true,
  percentImprovement: true,
  assessedOn: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.InjectionSelect;

export type InjectionRow = Prisma.InjectionGetPayload<{ select: typeof injectionSelect }>;

export function toInjectionDto(r: InjectionRow) {
  const hasOutcome = r.painBefore !== null && r.painAfter !== null && r.percentImprovement !== null && r.assessedOn !== null;
  return {
    id: r.id,
    patientId: r.patientId,
    episodeId: r.episodeId,
    scheduledAt: r.scheduledAt.toISOString(),
    localDate: dateToIso(r.localDate),
    level: r.level,
    approach: r.approach,
    side: r.side,
    status: r.status,
    performedAt: optionalInstant(r.performedAt),
    cancelReason: r.cancelReason,
    outcome: hasOutcome
      ? {
          painBefore: r.painBefore!,
          painAfter: r.painAfter!,
          percentImprovement: r.percentImprovement!,
          assessedOn: optionalDate(r.assessedOn)!,
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

export async function patientInjectionFacts(tx: Tx, patientId: string): Promise<InjectionFacts[]> {
  const rows = await tx.injection.findMany({
    where: { patientId },
    select: { id: true, localDate: true, status: true },
    orderBy: { localDate: 'asc' },
  });
  return rows.map((r) => ({ id: r.id, localDate: dateToIso(r.localDate), status: r.status }));
}
