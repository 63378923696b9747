// Current representations of created resources, for answering a retried create whose first attempt
// committed but never stored its answer (plugins/idempotency-resource.ts).
import type { Database } from '../db/prisma.ts';
import type { ResourceLoaders } from '../plugins/idempotency-resource.ts';
import { episodeSelect, toEpisodeDto } from './episodes/episodes.repository.ts';
import { injectionSelect, toInjectionDto } from './injections/injections.repository.ts';
import { patientSelect, toPatientDto } from './patients/patients.repository.ts';
import { storedJudgement } from './coverage/coverage.service.ts';

export function resourceLoaders(db: Database): ResourceLoaders {
  return {
    injection: async (id) => {
      const coverage = { coveragePolicyId: true, coveragePolicyVersion: true, coverageIssues: true } as const;
      const row = await db.prisma.injection.findUnique({ where: { id }, select: { ...injectionSelect, ...coverage } });
      return row ? { ...toInjectionDto(row), coverage: storedJudgement(row) } : null;
    },
    patient: async (id) => {
      const row = await db.prisma.patient.findUnique({ where: { id }, select: patientSelect });
      return row ? toPatientDto(row) : null;
    },
    episode: async (id) => {
      const row = await db.prisma.episode.findUnique({ where: { id }, select: episodeSelect });
      return row ? toEpisodeDto(row) : null;
    },
  };
}
