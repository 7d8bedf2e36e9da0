-- Rule 3 of issue 17: a credential that simply passes its end date can leave a pending
-- change request without validators; nothing announces it, so a sweep looks for those
-- credentials and marks each once looked at.
ALTER TABLE "authorizations"."principal_credentials" ADD COLUMN "expiry_checked_at" TIMESTAMPTZ(3);

CREATE INDEX "principal_credentials_valid_until_idx" ON "authorizations"."principal_credentials"("valid_until");
