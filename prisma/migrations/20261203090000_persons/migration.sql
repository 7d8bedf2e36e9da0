-- One person, several companies (issue 16, seed 003 "accès aux dossiers"). A person is
-- identified by their e-mail, unique on the platform; each users row becomes one of the
-- person's memberships (its own company, rights, credential, status and policy).
CREATE TABLE "identity"."persons" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "persons_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "persons_email_key" ON "identity"."persons"("email");

-- Backfill: one person per existing user (users.email was unique, so persons.email is too).
ALTER TABLE "identity"."users" ADD COLUMN "person_id" UUID;
INSERT INTO "identity"."persons" ("id", "email", "created_at")
  SELECT gen_random_uuid(), "email", "created_at" FROM "identity"."users";
UPDATE "identity"."users" u SET "person_id" = p."id" FROM "identity"."persons" p WHERE p."email" = u."email";
ALTER TABLE "identity"."users" ALTER COLUMN "person_id" SET NOT NULL;

-- The e-mail is unique per person now: a person's memberships share it.
DROP INDEX "identity"."users_email_key";
CREATE INDEX "users_email_idx" ON "identity"."users"("email");
CREATE UNIQUE INDEX "users_person_id_company_id_key" ON "identity"."users"("person_id", "company_id");
ALTER TABLE "identity"."users" ADD CONSTRAINT "users_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "identity"."persons"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Whether the session's sign-in included a TOTP code: a switch to a company whose
-- credential has TOTP enrolled needs none again.
ALTER TABLE "identity"."sessions" ADD COLUMN "second_factor" BOOLEAN NOT NULL DEFAULT false;
