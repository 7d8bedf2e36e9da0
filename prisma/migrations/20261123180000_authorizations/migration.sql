-- Authorizations (profiles, grants, assigned users), the principal projection fed by
-- identity, and the applied-change log that makes applying a change idempotent.
-- No semicolon may appear in comments or strings here.

-- AlterTable
ALTER TABLE "authorizations"."resources" ADD COLUMN     "allowed_rights" TEXT[] DEFAULT ARRAY['CONSULT', 'MANAGE', 'VALIDATE']::TEXT[],
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "authorizations"."authorizations" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "service_code" TEXT NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "authorizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."authorization_grants" (
    "authorization_id" UUID NOT NULL,
    "right_code" TEXT NOT NULL,
    "level_code" TEXT NOT NULL,
    "resource_ids" UUID[],

    CONSTRAINT "authorization_grants_pkey" PRIMARY KEY ("authorization_id","right_code")
);

-- CreateTable
CREATE TABLE "authorizations"."authorization_users" (
    "authorization_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "authorization_users_pkey" PRIMARY KEY ("authorization_id","user_id")
);

-- CreateTable
CREATE TABLE "authorizations"."principals" (
    "user_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rights_version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "principals_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "authorizations"."principal_credentials" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "valid_until" TIMESTAMPTZ(3),
    "revoked" BOOLEAN NOT NULL,
    "banking_power" BOOLEAN NOT NULL,

    CONSTRAINT "principal_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."applied_changes" (
    "change_request_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "result" JSONB,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applied_changes_pkey" PRIMARY KEY ("change_request_id")
);

-- CreateIndex
CREATE INDEX "authorizations_company_id_created_at_idx" ON "authorizations"."authorizations"("company_id", "created_at");

-- CreateIndex
CREATE INDEX "authorization_users_user_id_idx" ON "authorizations"."authorization_users"("user_id");

-- CreateIndex
CREATE INDEX "principals_company_id_idx" ON "authorizations"."principals"("company_id");

-- CreateIndex
CREATE INDEX "principal_credentials_user_id_idx" ON "authorizations"."principal_credentials"("user_id");

-- AddForeignKey
ALTER TABLE "authorizations"."authorization_grants" ADD CONSTRAINT "authorization_grants_authorization_id_fkey" FOREIGN KEY ("authorization_id") REFERENCES "authorizations"."authorizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations"."authorization_users" ADD CONSTRAINT "authorization_users_authorization_id_fkey" FOREIGN KEY ("authorization_id") REFERENCES "authorizations"."authorizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations"."principal_credentials" ADD CONSTRAINT "principal_credentials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "authorizations"."principals"("user_id") ON DELETE CASCADE ON UPDATE CASCADE;
