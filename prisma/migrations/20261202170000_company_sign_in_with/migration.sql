-- E-mail sign-in (issue 16, seed 003: the e-mail "sert d'identifiant unique"): per company,
-- its users sign in with their 14-digit login id (as before) or with their e-mail.
CREATE TYPE "identity"."SignInIdentifier" AS ENUM ('LOGIN_ID', 'EMAIL');

ALTER TABLE "identity"."companies" ADD COLUMN "sign_in_with" "identity"."SignInIdentifier" NOT NULL DEFAULT 'LOGIN_ID';
