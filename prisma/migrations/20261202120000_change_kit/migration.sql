-- Change kit: composite change requests and one applied-changes ledger shape for every owner.

-- AlterTable: when application began (set once, before the first item is applied); a request
-- found APPROVED with it set is resumed without validating its items again.
ALTER TABLE "authorizations"."change_requests" ADD COLUMN "application_started_at" TIMESTAMPTZ(3);

-- AlterTable: the name an item gives itself ({"$ref": name} in later items), what it creates,
-- and its payload as submitted (references resolved), validated again before applying.
ALTER TABLE "authorizations"."change_request_items" ADD COLUMN "ref" TEXT,
ADD COLUMN "creates" JSONB,
ADD COLUMN "submitted" JSONB;

-- AlterTable: the reporting ledger gets the company, like identity's and authorizations'.
ALTER TABLE "reporting"."applied_changes" ADD COLUMN "company_id" UUID;

-- CreateIndex: the recovery sweep looks for approved requests not yet applied.
CREATE INDEX "change_requests_status_decided_at_idx" ON "authorizations"."change_requests"("status", "decided_at");
