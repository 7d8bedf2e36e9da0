-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "authorizations";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "identity";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "notifications";

-- CreateEnum
CREATE TYPE "identity"."BillingMode" AS ENUM ('CLIENT', 'FIRM');

-- CreateEnum
CREATE TYPE "identity"."ClientType" AS ENUM ('ADMINISTRATOR', 'STANDARD');

-- CreateEnum
CREATE TYPE "identity"."AdminSignature" AS ENUM ('NONE', 'INDIVIDUAL', 'COLLECTIVE');

-- CreateEnum
CREATE TYPE "identity"."UserStatus" AS ENUM ('REGISTERED', 'ACTIVE', 'SUSPENDED', 'DELETED');

-- CreateEnum
CREATE TYPE "identity"."ActivationMode" AS ENUM ('IMMEDIATE', 'DEFERRED');

-- CreateEnum
CREATE TYPE "authorizations"."ResourceScope" AS ENUM ('NONE', 'ACCOUNTS_AND_CONTRACTS');

-- CreateEnum
CREATE TYPE "authorizations"."ResourceKind" AS ENUM ('ACCOUNT', 'CONTRACT');

-- CreateEnum
CREATE TYPE "notifications"."MessageChannel" AS ENUM ('EMAIL', 'SMS');

-- CreateEnum
CREATE TYPE "notifications"."MessageStatus" AS ENUM ('SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "identity"."operators" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "api_key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."companies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "registration_number" TEXT NOT NULL,
    "billing_mode" "identity"."BillingMode" NOT NULL,
    "pricing_offer" TEXT NOT NULL,
    "managed_by" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."users" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "last_name" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "client_type" "identity"."ClientType" NOT NULL,
    "admin_signature" "identity"."AdminSignature" NOT NULL DEFAULT 'NONE',
    "status" "identity"."UserStatus" NOT NULL DEFAULT 'REGISTERED',
    "activation_mode" "identity"."ActivationMode" NOT NULL DEFAULT 'IMMEDIATE',
    "language" TEXT NOT NULL DEFAULT 'fr',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "identity"."outbox" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."catalog_services" (
    "code" TEXT NOT NULL,
    "label_fr" TEXT NOT NULL,
    "label_en" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "catalog_services_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "authorizations"."catalog_rights" (
    "service_code" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "label_fr" TEXT NOT NULL,
    "label_en" TEXT NOT NULL,
    "family" TEXT,
    "resource_scope" "authorizations"."ResourceScope" NOT NULL DEFAULT 'NONE',
    "position" INTEGER NOT NULL,

    CONSTRAINT "catalog_rights_pkey" PRIMARY KEY ("service_code","code")
);

-- CreateTable
CREATE TABLE "authorizations"."catalog_levels" (
    "service_code" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "label_fr" TEXT NOT NULL,
    "label_en" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "catalog_levels_pkey" PRIMARY KEY ("service_code","code")
);

-- CreateTable
CREATE TABLE "authorizations"."resources" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "kind" "authorizations"."ResourceKind" NOT NULL,
    "contract_type" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "authorizations"."outbox" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications"."messages" (
    "id" UUID NOT NULL,
    "event_key" TEXT NOT NULL,
    "company_id" UUID,
    "channel" "notifications"."MessageChannel" NOT NULL,
    "template" TEXT NOT NULL,
    "recipient_masked" TEXT NOT NULL,
    "status" "notifications"."MessageStatus" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "provider_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "operators_email_key" ON "identity"."operators"("email");

-- CreateIndex
CREATE UNIQUE INDEX "operators_api_key_hash_key" ON "identity"."operators"("api_key_hash");

-- CreateIndex
CREATE UNIQUE INDEX "companies_registration_number_key" ON "identity"."companies"("registration_number");

-- CreateIndex
CREATE INDEX "companies_managed_by_created_at_idx" ON "identity"."companies"("managed_by", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "identity"."users"("email");

-- CreateIndex
CREATE INDEX "users_company_id_last_name_idx" ON "identity"."users"("company_id", "last_name");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_job_id_key" ON "identity"."outbox"("job_id");

-- CreateIndex
CREATE INDEX "outbox_dispatched_at_created_at_idx" ON "identity"."outbox"("dispatched_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "catalog_levels_service_code_rank_key" ON "authorizations"."catalog_levels"("service_code", "rank");

-- CreateIndex
CREATE UNIQUE INDEX "resources_company_id_identifier_key" ON "authorizations"."resources"("company_id", "identifier");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_job_id_key" ON "authorizations"."outbox"("job_id");

-- CreateIndex
CREATE INDEX "outbox_dispatched_at_created_at_idx" ON "authorizations"."outbox"("dispatched_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_event_key_key" ON "notifications"."messages"("event_key");

-- CreateIndex
CREATE INDEX "messages_company_id_created_at_idx" ON "notifications"."messages"("company_id", "created_at");

-- AddForeignKey
ALTER TABLE "identity"."companies" ADD CONSTRAINT "companies_managed_by_fkey" FOREIGN KEY ("managed_by") REFERENCES "identity"."operators"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity"."users" ADD CONSTRAINT "users_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "identity"."companies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations"."catalog_rights" ADD CONSTRAINT "catalog_rights_service_code_fkey" FOREIGN KEY ("service_code") REFERENCES "authorizations"."catalog_services"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations"."catalog_levels" ADD CONSTRAINT "catalog_levels_service_code_fkey" FOREIGN KEY ("service_code") REFERENCES "authorizations"."catalog_services"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
