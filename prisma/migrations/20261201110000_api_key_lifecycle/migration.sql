-- API keys may expire and record when they were last used (written at most about once a minute per
-- key). Audit events keep the server's own request id in "requestId" and a well-formed id the client
-- sent in X-Request-Id beside it, so a client can never choose the id an audit row is filed under.
ALTER TABLE "api_keys" ADD COLUMN "expiresAt" TIMESTAMPTZ(3);
ALTER TABLE "api_keys" ADD COLUMN "lastUsedAt" TIMESTAMPTZ(3);
ALTER TABLE "audit_events" ADD COLUMN "clientRequestId" VARCHAR(64);

-- Every instance caches key lookups and drops an entry when this channel names its key id. The
-- notification is sent by the database itself, on commit, whichever statement revoked, changed or
-- removed the key; a lastUsedAt write changes nothing a lookup returns and stays silent.
CREATE FUNCTION api_keys_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('api_keys_changed', OLD.id::text);
  ELSE
    PERFORM pg_notify('api_keys_changed', NEW.id::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_changed AFTER UPDATE ON "api_keys" FOR EACH ROW
  WHEN (OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt"
     OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
     OR OLD.role IS DISTINCT FROM NEW.role
     OR OLD.name IS DISTINCT FROM NEW.name
     OR OLD."keyHash" IS DISTINCT FROM NEW."keyHash")
  EXECUTE FUNCTION api_keys_notify_change();

CREATE TRIGGER api_keys_removed AFTER DELETE ON "api_keys" FOR EACH ROW
  EXECUTE FUNCTION api_keys_notify_change();

-- Idempotency request hashes become "h1:<secret fingerprint>:<HMAC-SHA256>" under the server secret
-- (the bodies hold patient data, so a plain digest could be confirmed by guessing). Records written
-- before hold a bare SHA-256; the service treats them, and records under another secret, as unknown.
ALTER TABLE "idempotency_records" ALTER COLUMN "requestHash" TYPE VARCHAR(80);
