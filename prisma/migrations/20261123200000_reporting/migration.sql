-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "reporting";

-- CreateEnum
CREATE TYPE "reporting"."ReportType" AS ENUM ('ACCESS_RIGHTS', 'DELIVERIES');

-- CreateEnum
CREATE TYPE "reporting"."ReportStatus" AS ENUM ('QUEUED', 'RUNNING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "reporting"."DeliveryType" AS ENUM ('ACCOUNT_STATEMENT', 'INTEREST_CLOSING', 'PAYMENT_CONFIRMATION', 'CAMT_NOTIFICATION');

-- CreateEnum
CREATE TYPE "reporting"."DeliveryFormat" AS ENUM ('PDF', 'CAMT_052', 'CAMT_053', 'CAMT_054', 'MT940');

-- CreateEnum
CREATE TYPE "reporting"."DeliveryFrequency" AS ENUM ('DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'ON_EVENT');

-- CreateEnum
CREATE TYPE "reporting"."DeliveryChannel" AS ENUM ('E_BANKING', 'EMAIL', 'EBICS', 'SFTP');

-- CreateTable
CREATE TABLE "reporting"."reports" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "type" "reporting"."ReportType" NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'fr',
    "status" "reporting"."ReportStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "failure_reason" TEXT,
    "ordered_by" TEXT NOT NULL,
    "ordered_by_user_id" UUID,
    "open_key" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporting"."documents" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "report_type" "reporting"."ReportType" NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "content_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporting"."deliveries" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "account_identifier" TEXT NOT NULL,
    "account_label" TEXT NOT NULL,
    "type" "reporting"."DeliveryType" NOT NULL,
    "format" "reporting"."DeliveryFormat" NOT NULL,
    "frequency" "reporting"."DeliveryFrequency" NOT NULL,
    "channel" "reporting"."DeliveryChannel" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporting"."applied_changes" (
    "change_request_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "result" JSONB,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "applied_changes_pkey" PRIMARY KEY ("change_request_id")
);

-- CreateTable
CREATE TABLE "reporting"."outbox" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reports_open_key_key" ON "reporting"."reports"("open_key");

-- CreateIndex
CREATE INDEX "reports_company_id_created_at_idx" ON "reporting"."reports"("company_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "documents_report_id_key" ON "reporting"."documents"("report_id");

-- CreateIndex
CREATE UNIQUE INDEX "documents_storage_key_key" ON "reporting"."documents"("storage_key");

-- CreateIndex
CREATE INDEX "documents_company_id_created_at_idx" ON "reporting"."documents"("company_id", "created_at");

-- CreateIndex
CREATE INDEX "documents_expires_at_idx" ON "reporting"."documents"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_company_id_account_identifier_type_key" ON "reporting"."deliveries"("company_id", "account_identifier", "type");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_job_id_key" ON "reporting"."outbox"("job_id");

-- CreateIndex
CREATE INDEX "outbox_dispatched_at_created_at_idx" ON "reporting"."outbox"("dispatched_at", "created_at");

-- AddForeignKey
ALTER TABLE "reporting"."documents" ADD CONSTRAINT "documents_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reporting"."reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
