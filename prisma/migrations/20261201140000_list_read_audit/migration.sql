-- A list read (schedule, patient search, audit trail) writes one audit event naming every patient it
-- showed, instead of one event per patient. GIN-indexed so "every read of this patient" stays an index
-- lookup: "patientId" = $1 OR "patientIds" @> ARRAY[$1].
ALTER TABLE "audit_events" ADD COLUMN "patientIds" UUID[];

CREATE INDEX "audit_events_patientIds_idx" ON "audit_events" USING GIN ("patientIds");

-- Statistics for the new column at once: without them the planner estimated thousands of matches for
-- the containment test and walked the primary key backwards over the whole trail (1.5 s on 1.5 million
-- events) instead of the BitmapOr of both indexes (1 ms).
ANALYZE "audit_events";
