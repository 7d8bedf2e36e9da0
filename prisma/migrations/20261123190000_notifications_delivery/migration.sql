-- AlterEnum
ALTER TYPE "notifications"."MessageStatus" ADD VALUE 'RETRYING';

-- AlterTable
ALTER TABLE "notifications"."messages" ADD COLUMN     "job_id" TEXT,
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3);
