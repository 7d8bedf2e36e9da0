-- EDI signatures (issue 17, rule 9, seed 004): the reminder that goes 30 days before a
-- signature expires is sent once; the time it was sent marks it done.
ALTER TABLE "identity"."edi_signatures" ADD COLUMN "expiry_reminder_sent_at" TIMESTAMPTZ(3);

CREATE INDEX "edi_signatures_valid_until_idx" ON "identity"."edi_signatures"("valid_until");
