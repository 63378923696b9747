-- The nightly audit report.

-- Exactly one scheduled run per date across instances: a second instance arriving later the same night
-- cannot record another (failed runs do not count, so a failed night can be retried).
CREATE UNIQUE INDEX "report_runs_one_scheduled_per_date" ON "report_runs" ("reportDate")
  WHERE "trigger" = 'scheduled' AND "status" <> 'failed';

-- GET /v1/reports/runs: newest first.
CREATE INDEX "report_runs_startedAt_id_idx" ON "report_runs" ("startedAt" DESC, "id" DESC);

-- Integrity check "every change has its audit row": one index-only anti-join per required action
-- ('injection.book', 'patient.create', ...). Without it each check read the whole audit table.
CREATE INDEX "audit_events_action_entityId_idx" ON "audit_events" ("action", "entityId");

-- Completed injections still without an outcome: few rows, found without scanning every injection.
CREATE INDEX "injections_missing_outcome_idx" ON "injections" ("localDate")
  WHERE "status" = 'completed' AND "assessedOn" IS NULL;
