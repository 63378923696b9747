-- Clinical rules v2 (SPEC §1-§2): red flags (R4) with clearances, consultations (R5), anatomy as a list
-- of levels, and how long relief lasted. Existing rows stay valid: a stored `level` becomes a one-item
-- `levels` (caudal sessions enter at the sacral hiatus and hold none).

-- saddle anaesthesia joins bowel/bladder change as a red flag (possible cauda equina syndrome).
ALTER TYPE "NeurologicalSign" ADD VALUE IF NOT EXISTS 'saddle_anesthesia';

-- Anatomy: interspaces such as L4-L5, head-to-tail; empty for a caudal entry.
ALTER TABLE "injections" ADD COLUMN "levels" VARCHAR(10)[] NOT NULL DEFAULT '{}';
UPDATE "injections" SET "levels" = CASE
  WHEN "approach" = 'caudal' OR "level" = 'sacral-hiatus' THEN '{}'::VARCHAR(10)[]
  ELSE ARRAY["level"]::VARCHAR(10)[] END;
ALTER TABLE "injections" DROP COLUMN "level";
ALTER TABLE "injections" ADD CONSTRAINT "injections_levels_count" CHECK (cardinality("levels") <= 2);

-- Outcome: days that relief of at least 50 % lasted, when known (payer policies need it).
ALTER TABLE "injections" ADD COLUMN "reliefLastedDays" INTEGER;
ALTER TABLE "injections" ADD CONSTRAINT "injections_relief_lasted_days_range" CHECK ("reliefLastedDays" BETWEEN 0 AND 3650);

-- R4: the red flags a clinician's clearance covers right now. A clearance sets it to the red flags then
-- present; an edit that removes a flag drops it from here, so a flag added again blocks again.
ALTER TABLE "episodes" ADD COLUMN "clearedRedFlags" "NeurologicalSign"[] NOT NULL DEFAULT '{}';

CREATE TABLE "red_flag_clearances" (
    "id" UUID NOT NULL,
    "episodeId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "redFlags" "NeurologicalSign"[] NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedById" UUID,
    "recordedByName" VARCHAR(100) NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    CONSTRAINT "red_flag_clearances_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "red_flag_clearances_episodeId_seq_idx" ON "red_flag_clearances"("episodeId", "seq");
ALTER TABLE "red_flag_clearances" ADD CONSTRAINT "red_flag_clearances_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "red_flag_clearances" ADD CONSTRAINT "red_flag_clearances_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- R5: a clinician's consultation allowing the episode to hold up to `allowInjections` counted injections.
CREATE TABLE "consultations" (
    "id" UUID NOT NULL,
    "episodeId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "allowInjections" SMALLINT NOT NULL,
    "note" VARCHAR(2000) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recordedById" UUID,
    "recordedByName" VARCHAR(100) NOT NULL,
    -- Order of recording (the latest consultation decides R5), independent of clock resolution.
    "seq" BIGSERIAL NOT NULL,
    CONSTRAINT "consultations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "consultations_allow_range" CHECK ("allowInjections" BETWEEN 3 AND 12)
);
CREATE INDEX "consultations_episodeId_seq_idx" ON "consultations"("episodeId", "seq");
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
