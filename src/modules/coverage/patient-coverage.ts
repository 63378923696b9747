// A patient's coverage as stored: the payer, the policy judging their bookings, the member number.
import { AppError } from '../../shared/errors.ts';
import { DEFAULT_POLICY_ID } from './coverage.schemas.ts';
import type { PolicyRegistry } from './policy-registry.ts';

export interface CoverageInput {
  payer: string;
  policyId: string;
  memberId?: string | null | undefined;
}

/** The patient columns for a coverage given in a request; null returns the patient to clinic-only.
 * An id that names no installed policy is a 400 naming the field (nothing is stored). */
export function coverageColumns(policies: PolicyRegistry, coverage: CoverageInput | null) {
  if (coverage === null) return { coveragePayer: null, coveragePolicyId: DEFAULT_POLICY_ID, coverageMemberId: null };
  if (!policies.has(coverage.policyId)) {
    throw new AppError('REQUEST.VALIDATION', 'coverage.policyId names no installed coverage policy', {
      errors: [{ path: 'body.coverage.policyId', message: 'must be the id of an installed policy (GET /v1/policies)' }],
    });
  }
  return { coveragePayer: coverage.payer, coveragePolicyId: coverage.policyId, coverageMemberId: coverage.memberId ?? null };
}
