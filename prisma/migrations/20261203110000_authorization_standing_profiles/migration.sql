-- Rule 5 of issue 17 (seed 002: authorize-all is "valable pour tous les contrats de la
-- relation client"): the banking authorization authorize-all creates keeps its profile per
-- contract type, so contracts opened later are added to it without a new change request.
ALTER TABLE "authorizations"."authorizations" ADD COLUMN "standing_profiles" JSONB;
