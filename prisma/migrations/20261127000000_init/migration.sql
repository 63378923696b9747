CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Region" AS ENUM ('lumbar', 'cervical', 'thoracic');

-- CreateEnum
CREATE TYPE "Therapy" AS ENUM ('medication', 'physical_therapy', 'activity_modification', 'exercise_education');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('mild', 'moderate', 'severe');

-- CreateEnum
CREATE TYPE "NeurologicalSign" AS ENUM ('numbness', 'tingling', 'weakness', 'reflex_loss', 'bowel_bladder');

-- CreateEnum
CREATE TYPE "EpisodeStatus" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "Approach" AS ENUM ('transforaminal', 'interlaminar', 'caudal');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('left', 'right', 'bilateral', 'midline');

-- CreateEnum
CREATE TYPE "InjectionStatus" AS ENUM ('scheduled', 'completed', 'cancelled', 'no_show');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('front_desk', 'clinician', 'auditor', 'admin');

-- CreateTable
CREATE TABLE "patients" (
    "id" UUID NOT NULL,
    "mrn" VARCHAR(32) NOT NULL,
    "givenName" VARCHAR(100) NOT NULL,
    "familyName" VARCHAR(100) NOT NULL,
    "birthDate" DATE NOT NULL,
    "phone" VARCHAR(40),
    "email" VARCHAR(254),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "episodes" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "region" "Region" NOT NULL,
    "diagnosis" VARCHAR(500) NOT NULL,
    "conservativeCareStartedOn" DATE NOT NULL,
    "therapies" "Therapy"[],
    "severity" "Severity" NOT NULL,
    "neurologicalSigns" "NeurologicalSign"[],
    "status" "EpisodeStatus" NOT NULL DEFAULT 'open',
    "closedReason" VARCHAR(500),
    "closedAt" TIMESTAMPTZ(3),
    "exemptionRecordedAt" TIMESTAMPTZ(3),
    "exemptionRecordedById" UUID,
    "exemptionRecordedByName" VARCHAR(100),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "episodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "injections" (
    "id" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "episodeId" UUID NOT NULL,
    "scheduledAt" TIMESTAMPTZ(3) NOT NULL,
    "localDate" DATE NOT NULL,
    "level" VARCHAR(20) NOT NULL,
    "approach" "Approach" NOT NULL,
    "side" "Side" NOT NULL,
    "status" "InjectionStatus" NOT NULL DEFAULT 'scheduled',
    "performedAt" TIMESTAMPTZ(3),
    "cancelReason" VARCHAR(500),
    "painBefore" SMALLINT,
    "painAfter" SMALLINT,
    "percentImprovement" SMALLINT,
    "assessedOn" DATE,
    "bookedById" UUID,
    "bookedByName" VARCHAR(100),
    "performedById" UUID,
    "performedByName" VARCHAR(100),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "injections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "role" "Role" NOT NULL,
    "keyHash" CHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" UUID,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorName" VARCHAR(100) NOT NULL,
    "actorRole" "Role" NOT NULL,
    "action" VARCHAR(60) NOT NULL,
    "entityType" VARCHAR(40) NOT NULL,
    "entityId" VARCHAR(64),
    "patientId" UUID,
    "requestId" VARCHAR(64),
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "id" UUID NOT NULL,
    "apiKeyId" VARCHAR(64) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "requestHash" CHAR(64) NOT NULL,
    "method" VARCHAR(10) NOT NULL,
    "path" VARCHAR(500) NOT NULL,
    "state" VARCHAR(12) NOT NULL,
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "responseType" VARCHAR(100),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_runs" (
    "id" UUID NOT NULL,
    "reportDate" DATE NOT NULL,
    "trigger" VARCHAR(20) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "totals" JSONB,
    "resultHash" CHAR(64),
    "differsFromPrevious" BOOLEAN,
    "error" TEXT,
    "version" VARCHAR(40) NOT NULL,

    CONSTRAINT "report_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "patients_mrn_key" ON "patients"("mrn");

-- CreateIndex
CREATE INDEX "episodes_patientId_createdAt_idx" ON "episodes"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "injections_patientId_localDate_idx" ON "injections"("patientId", "localDate");

-- CreateIndex
CREATE INDEX "injections_episodeId_localDate_idx" ON "injections"("episodeId", "localDate");

-- CreateIndex
CREATE INDEX "injections_localDate_scheduledAt_idx" ON "injections"("localDate", "scheduledAt");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_keyHash_key" ON "api_keys"("keyHash");

-- CreateIndex
CREATE INDEX "audit_events_patientId_id_idx" ON "audit_events"("patientId", "id");

-- CreateIndex
CREATE INDEX "audit_events_actorId_id_idx" ON "audit_events"("actorId", "id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_entityId_idx" ON "audit_events"("entityId");

-- CreateIndex
CREATE INDEX "idempotency_records_expiresAt_idx" ON "idempotency_records"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_records_apiKeyId_key_key" ON "idempotency_records"("apiKeyId", "key");

-- CreateIndex
CREATE INDEX "report_runs_reportDate_startedAt_idx" ON "report_runs"("reportDate", "startedAt");

-- AddForeignKey
ALTER TABLE "episodes" ADD CONSTRAINT "episodes_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "injections" ADD CONSTRAINT "injections_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "patients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "injections" ADD CONSTRAINT "injections_episodeId_fkey" FOREIGN KEY ("episodeId") REFERENCES "episodes"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written: rules and guarantees the schema language cannot express.
-- ---------------------------------------------------------------------------------------------

-- R2: for one patient, counted injections (scheduled, completed) are at least 14 calendar days
-- apart. Each row claims the half-open range [localDate, localDate + 14): two rows d and d + 13
-- overlap, d and d + 14 do not. Holds under concurrency and across app instances.
ALTER TABLE "injections" ADD CONSTRAINT "injections_r2_interval_excl"
  EXCLUDE USING gist ("patientId" WITH =, daterange("localDate", "localDate" + 14) WITH &&)
  WHERE ("status" IN ('scheduled', 'completed'));

-- A patient has at most one open episode.
CREATE UNIQUE INDEX "episodes_one_open_per_patient" ON "episodes"("patientId") WHERE "status" = 'open';

-- Value ranges the API validates, held by the database too.
ALTER TABLE "injections" ADD CONSTRAINT "injections_pain_before_range" CHECK ("painBefore" BETWEEN 0 AND 10);
ALTER TABLE "injections" ADD CONSTRAINT "injections_pain_after_range" CHECK ("painAfter" BETWEEN 0 AND 10);
ALTER TABLE "injections" ADD CONSTRAINT "injections_improvement_range" CHECK ("percentImprovement" BETWEEN 0 AND 100);
ALTER TABLE "patients" ADD CONSTRAINT "patients_mrn_format" CHECK ("mrn" ~ '^[A-Za-z0-9-]{1,32}$');

-- Patient search: case-insensitive prefix match on MRN and names.
CREATE INDEX "patients_mrn_lower_idx" ON "patients" (lower("mrn") text_pattern_ops);
CREATE INDEX "patients_family_lower_idx" ON "patients" (lower("familyName") text_pattern_ops, "id");
CREATE INDEX "patients_given_lower_idx" ON "patients" (lower("givenName") text_pattern_ops, "id");

-- The audit trail is append-only: UPDATE, DELETE and TRUNCATE are refused by the database itself.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
