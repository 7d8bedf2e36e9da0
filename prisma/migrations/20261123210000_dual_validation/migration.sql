-- CreateEnum
CREATE TYPE "authorizations"."ChangeRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'APPLIED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'STALE', 'FAILED');

-- CreateTable
CREATE TABLE "authorizations"."change_requests" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "maker_user_id" UUID NOT NULL,
    "maker_contact" JSONB NOT NULL,
    "status" "authorizations"."ChangeRequestStatus" NOT NULL,
    "kind" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "required_approvals" INTEGER NOT NULL,
    "subject_user_ids" UUID[],
    "reason" TEXT,
    "result" JSONB,
    "reveal_once_sealed" TEXT,
    "source_ip" TEXT,
    "request_id" TEXT,
    "idempotency_key" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "change_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."change_request_items" (
    "id" UUID NOT NULL,
    "change_request_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "owner_service" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "diff" JSONB NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "target_version" INTEGER,
    "outcome" TEXT,
    "reason" TEXT,

    CONSTRAINT "change_request_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."change_approvals" (
    "change_request_id" UUID NOT NULL,
    "validator_user_id" UUID NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_approvals_pkey" PRIMARY KEY ("change_request_id","validator_user_id")
);

-- CreateTable
CREATE TABLE "authorizations"."change_policies" (
    "company_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "required_approvals" INTEGER NOT NULL,
    "allow_individual_immediate" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_policies_pkey" PRIMARY KEY ("company_id","kind")
);

-- CreateTable
CREATE TABLE "authorizations"."audit_entries" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "source_ip" TEXT,
    "request_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "details" JSONB,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("chain","seq")
);

-- CreateTable
CREATE TABLE "authorizations"."audit_heads" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_heads_pkey" PRIMARY KEY ("chain")
);

-- CreateIndex
CREATE INDEX "change_requests_company_id_status_created_at_idx" ON "authorizations"."change_requests"("company_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "change_requests_maker_user_id_idempotency_key_key" ON "authorizations"."change_requests"("maker_user_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "change_request_items_change_request_id_position_key" ON "authorizations"."change_request_items"("change_request_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_event_id_key" ON "authorizations"."audit_entries"("event_id");

-- AddForeignKey
ALTER TABLE "authorizations"."change_request_items" ADD CONSTRAINT "change_request_items_change_request_id_fkey" FOREIGN KEY ("change_request_id") REFERENCES "authorizations"."change_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations"."change_approvals" ADD CONSTRAINT "change_approvals_change_request_id_fkey" FOREIGN KEY ("change_request_id") REFERENCES "authorizations"."change_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Append-only audit trail: the application may insert, never update or delete (tampering
-- by a privileged database user is what the hash chain detects).
CREATE FUNCTION "authorizations"."audit_entries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only';
END
$$;

CREATE TRIGGER "audit_entries_no_update_delete" BEFORE UPDATE OR DELETE ON "authorizations"."audit_entries"
FOR EACH ROW EXECUTE FUNCTION "authorizations"."audit_entries_append_only"();
