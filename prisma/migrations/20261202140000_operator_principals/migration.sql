-- Operators become principals (issue 16): organisations (a bank branch, an accounting firm),
-- interactive sign-in with mandatory TOTP, roles, a portfolio of client companies, and API
-- keys issued through the API to an operator of an organisation.

-- CreateEnum
CREATE TYPE "identity"."OrganisationKind" AS ENUM ('BANK_BRANCH', 'ACCOUNTING_FIRM');

-- CreateEnum
CREATE TYPE "identity"."OperatorRole" AS ENUM ('SUPERVISOR', 'ADVISOR', 'COLLABORATOR');

-- CreateEnum
CREATE TYPE "identity"."OperatorStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REMOVED');

-- CreateTable
CREATE TABLE "identity"."operator_organisations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "identity"."OrganisationKind" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_organisations_pkey" PRIMARY KEY ("id")
);

-- Every operator that exists becomes the supervisor of an organisation of its own (same id),
-- so what each one reached before is exactly what it reaches now.
INSERT INTO "identity"."operator_organisations" ("id", "name", "kind", "created_at")
SELECT "id", "name", 'BANK_BRANCH', "created_at" FROM "identity"."operators";

-- AlterTable
ALTER TABLE "identity"."operators" ADD COLUMN "organisation_id" UUID,
ADD COLUMN "role" "identity"."OperatorRole" NOT NULL DEFAULT 'SUPERVISOR',
ADD COLUMN "status" "identity"."OperatorStatus" NOT NULL DEFAULT 'ACTIVE',
ADD COLUMN "login_id" TEXT,
ADD COLUMN "password_hash" TEXT,
ADD COLUMN "password_is_provisional" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "provisional_expires_at" TIMESTAMPTZ(3),
ADD COLUMN "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN "failed_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "locked_until" TIMESTAMPTZ(3),
ADD COLUMN "totp_secret_sealed" TEXT,
ADD COLUMN "totp_pending_sealed" TEXT,
ADD COLUMN "totp_enrolled_at" TIMESTAMPTZ(3),
ADD COLUMN "totp_last_step" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "identity"."operators" SET "organisation_id" = "id";
ALTER TABLE "identity"."operators" ALTER COLUMN "organisation_id" SET NOT NULL;
ALTER TABLE "identity"."operators" ALTER COLUMN "role" DROP DEFAULT;

-- CreateTable
CREATE TABLE "identity"."operator_api_keys" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "operator_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "operator_api_keys_pkey" PRIMARY KEY ("id")
);

-- The keys that were columns of operators become keys issued to them.
INSERT INTO "identity"."operator_api_keys" ("id", "organisation_id", "operator_id", "label", "key_hash", "key_prefix", "created_by")
SELECT gen_random_uuid(), "organisation_id", "id", 'Key from before issue 16', "api_key_hash", '', 'migration' FROM "identity"."operators";

-- DropIndex
DROP INDEX "identity"."operators_api_key_hash_key";

-- AlterTable
ALTER TABLE "identity"."operators" DROP COLUMN "api_key_hash";

-- CreateTable
CREATE TABLE "identity"."operator_assignments" (
    "operator_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "assigned_by" TEXT NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operator_assignments_pkey" PRIMARY KEY ("operator_id","company_id")
);

-- AlterTable: a company belongs to the organisation of the operator who registered it, and
-- is in that operator's portfolio.
ALTER TABLE "identity"."companies" ADD COLUMN "organisation_id" UUID;
UPDATE "identity"."companies" c SET "organisation_id" = o."organisation_id" FROM "identity"."operators" o WHERE o."id" = c."managed_by";
ALTER TABLE "identity"."companies" ALTER COLUMN "organisation_id" SET NOT NULL;
INSERT INTO "identity"."operator_assignments" ("operator_id", "company_id", "assigned_by")
SELECT "managed_by", "id", 'migration' FROM "identity"."companies";

-- DropIndex: registration numbers are unique per organisation now.
DROP INDEX "identity"."companies_managed_by_registration_number_key";

-- CreateIndex
CREATE UNIQUE INDEX "companies_organisation_id_registration_number_key" ON "identity"."companies"("organisation_id", "registration_number");

-- CreateIndex
CREATE INDEX "companies_organisation_id_created_at_idx" ON "identity"."companies"("organisation_id", "created_at");

-- AlterTable: sessions of operators (no user, no company).
ALTER TABLE "identity"."sessions" ALTER COLUMN "user_id" DROP NOT NULL,
ALTER COLUMN "company_id" DROP NOT NULL,
ADD COLUMN "operator_id" UUID;

-- CreateIndex
CREATE INDEX "sessions_operator_id_revoked_at_idx" ON "identity"."sessions"("operator_id", "revoked_at");

-- CreateIndex
CREATE UNIQUE INDEX "operators_login_id_key" ON "identity"."operators"("login_id");

-- CreateIndex
CREATE INDEX "operators_organisation_id_created_at_idx" ON "identity"."operators"("organisation_id", "created_at");

-- CreateIndex
CREATE INDEX "operator_assignments_company_id_idx" ON "identity"."operator_assignments"("company_id");

-- CreateIndex
CREATE UNIQUE INDEX "operator_api_keys_key_hash_key" ON "identity"."operator_api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "operator_api_keys_organisation_id_created_at_idx" ON "identity"."operator_api_keys"("organisation_id", "created_at");

-- AddForeignKey
ALTER TABLE "identity"."operators" ADD CONSTRAINT "operators_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "identity"."operator_organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."companies" ADD CONSTRAINT "companies_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "identity"."operator_organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."operator_assignments" ADD CONSTRAINT "operator_assignments_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "identity"."operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."operator_assignments" ADD CONSTRAINT "operator_assignments_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "identity"."companies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."operator_api_keys" ADD CONSTRAINT "operator_api_keys_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "identity"."operator_organisations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."operator_api_keys" ADD CONSTRAINT "operator_api_keys_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "identity"."operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
