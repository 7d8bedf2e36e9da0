-- CreateEnum
CREATE TYPE "identity"."CredentialType" AS ENUM ('PERMANENT', 'TEMPORARY');

-- CreateEnum
CREATE TYPE "identity"."CredentialStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateEnum
CREATE TYPE "identity"."EdiSignatureStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- AlterTable
ALTER TABLE "identity"."companies" ADD COLUMN     "require_strong_auth" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "identity"."credentials" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "login_id" TEXT NOT NULL,
    "type" "identity"."CredentialType" NOT NULL,
    "valid_until" TIMESTAMPTZ(3),
    "banking_power" BOOLEAN NOT NULL,
    "status" "identity"."CredentialStatus" NOT NULL DEFAULT 'ACTIVE',
    "password_hash" TEXT NOT NULL,
    "password_is_provisional" BOOLEAN NOT NULL DEFAULT true,
    "provisional_expires_at" TIMESTAMPTZ(3),
    "password_changed_at" TIMESTAMPTZ(3),
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "totp_secret_sealed" TEXT,
    "totp_pending_sealed" TEXT,
    "totp_enrolled_at" TIMESTAMPTZ(3),
    "totp_last_step" INTEGER NOT NULL DEFAULT 0,
    "created_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."password_history" (
    "id" UUID NOT NULL,
    "credential_id" UUID NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."sessions" (
    "id" UUID NOT NULL,
    "credential_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "source_ip" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."refresh_tokens" (
    "token_hash" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "identity"."applied_changes" (
    "change_request_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "result" JSONB,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applied_changes_pkey" PRIMARY KEY ("change_request_id")
);

-- CreateTable
CREATE TABLE "identity"."edi_codes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "requested_by" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "edi_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."edi_signatures" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "password_hash" TEXT NOT NULL,
    "status" "identity"."EdiSignatureStatus" NOT NULL DEFAULT 'ACTIVE',
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "edi_signatures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "credentials_login_id_key" ON "identity"."credentials"("login_id");

-- CreateIndex
CREATE INDEX "credentials_user_id_idx" ON "identity"."credentials"("user_id");

-- CreateIndex
CREATE INDEX "credentials_company_id_idx" ON "identity"."credentials"("company_id");

-- CreateIndex
CREATE INDEX "password_history_credential_id_created_at_idx" ON "identity"."password_history"("credential_id", "created_at");

-- CreateIndex
CREATE INDEX "sessions_user_id_revoked_at_idx" ON "identity"."sessions"("user_id", "revoked_at");

-- CreateIndex
CREATE INDEX "refresh_tokens_session_id_idx" ON "identity"."refresh_tokens"("session_id");

-- CreateIndex
CREATE INDEX "edi_codes_user_id_created_at_idx" ON "identity"."edi_codes"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "edi_signatures_user_id_created_at_idx" ON "identity"."edi_signatures"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "edi_signatures_company_id_idx" ON "identity"."edi_signatures"("company_id");

-- AddForeignKey
ALTER TABLE "identity"."credentials" ADD CONSTRAINT "credentials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
