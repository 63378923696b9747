-- CDS Hooks (SPEC §6): the `jti` of every accepted EHR token, kept until the token expires, so a
-- replayed token is refused on every instance of the service, not only the one that saw it first.
CREATE TABLE "cds_jwt_seen" (
    "issuer" VARCHAR(500) NOT NULL,
    "jti" VARCHAR(255) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cds_jwt_seen_pkey" PRIMARY KEY ("issuer", "jti")
);
CREATE INDEX "cds_jwt_seen_expiresAt_idx" ON "cds_jwt_seen"("expiresAt");
