-- Tamper evidence for the audit trail (SPEC §8). Each clinic-local day's audit events, in id order, are
-- digested once the day has ended; each seal chains the previous day's, so a changed, removed or
-- inserted row, or a changed or removed seal, shows up when the chain is recomputed.
CREATE TABLE "audit_seals" (
    "day" DATE NOT NULL,
    "timeZone" VARCHAR(64) NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "firstId" BIGINT,
    "lastId" BIGINT,
    "digest" CHAR(64) NOT NULL,
    "previousSeal" CHAR(64),
    "seal" CHAR(64) NOT NULL,
    "sealedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_seals_pkey" PRIMARY KEY ("day"),
    CONSTRAINT "audit_seals_range" CHECK ("startsAt" < "endsAt")
);

-- Append-only like the audit trail itself.
CREATE FUNCTION audit_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_seals is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_seals_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_seals"
  FOR EACH ROW EXECUTE FUNCTION audit_seals_append_only();
CREATE TRIGGER "audit_seals_no_truncate" BEFORE TRUNCATE ON "audit_seals"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_append_only();
