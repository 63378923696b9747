import type { Prisma } from '../../generated/prisma/client.ts';
import { dateToIso } from '../../shared/dates.ts';

export const patientSelect = {
  id: true,
  mrn: true,
  givenName: true,
  familyName: true,
  birthDate: true,
  phone: true,
  email: true,
  coveragePayer: true,
  coveragePolicyId: true,
  coverageMemberId: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.PatientSelect;

export type PatientRow = Prisma.PatientGetPayload<{ select: typeof patientSelect }>;

export function toPatientDto(r: PatientRow) {
  return {
    id: r.id,
    mrn: r.mrn,
    givenName: r.givenName,
    familyName: r.familyName,
    birthDate: dateToIso(r.birthDate),
    phone: r.phone,
    email: r.email,
    coverage: { payer: r.coveragePayer, policyId: r.coveragePolicyId, memberId: r.coverageMemberId },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Prisma sends startsWith as LIKE 'value%' without escaping: a typed % or _ would be a wildcard. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `q` matches an MRN prefix, or every word matches the start of the given or family name. */
export function searchWhere(q: string | undefined): Prisma.PatientWhereInput {
  const words = (q ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 4)
    .map(literal);
  if (words.length === 0) return {};
  const byName: Prisma.PatientWhereInput = {
    AND: words.map((w) => ({
      OR: [{ familyName: { startsWith: w, mode: 'insensitive' as const } }, { givenName: { startsWith: w, mode: 'insensitive' as const } }],
    })),
  };
  return { OR: [{ mrn: { startsWith: literal(q!.trim()), mode: 'insensitive' as const } }, byName] };
}
