-- Payer coverage policies (SPEC §5). A patient names the payer and the policy (a file of policies/)
-- that judges their bookings; without one, `clinic-only` (no checks). The member number is patient data.
ALTER TABLE "patients" ADD COLUMN "coveragePayer" VARCHAR(100);
ALTER TABLE "patients" ADD COLUMN "coveragePolicyId" VARCHAR(63) NOT NULL DEFAULT 'clinic-only';
ALTER TABLE "patients" ADD COLUMN "coverageMemberId" VARCHAR(40);

-- A booking keeps the judgement it was given: the policy id and version it was judged under and the
-- issues found, so a later version of the policy never changes how it was judged. NULL for bookings
-- made before coverage was judged.
ALTER TABLE "injections" ADD COLUMN "coveragePolicyId" VARCHAR(63);
ALTER TABLE "injections" ADD COLUMN "coveragePolicyVersion" INTEGER;
ALTER TABLE "injections" ADD COLUMN "coverageIssues" JSONB;
ALTER TABLE "injections" ADD CONSTRAINT "injections_coverage_judged_together" CHECK (
  ("coveragePolicyId" IS NULL) = ("coverageIssues" IS NULL)
);
