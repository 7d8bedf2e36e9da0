-- A session opened by a password alone while the credential has TOTP enrolled waits for the
-- code: its tokens only reach POST /auth/totp/verify, and refreshing it never widens them.
-- AlterTable
ALTER TABLE "identity"."sessions" ADD COLUMN     "awaiting_totp" BOOLEAN NOT NULL DEFAULT false;
