-- The resource a request created, written in the same transaction as the resource itself. A retry
-- after the first process died between COMMIT and storing its answer can then be answered with that
-- resource instead of running the request a second time.
ALTER TABLE "idempotency_records" ADD COLUMN "resourceType" VARCHAR(40);
ALTER TABLE "idempotency_records" ADD COLUMN "resourceId" UUID;
