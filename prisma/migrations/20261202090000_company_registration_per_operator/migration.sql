-- A registration number is unique per managing operator, not on the whole platform: each
-- operator's client relation is its own company, and a refusal no longer tells an operator
-- that another operator's client exists (issue 19, defect 8).
DROP INDEX "identity"."companies_registration_number_key";

-- CreateIndex
CREATE UNIQUE INDEX "companies_managed_by_registration_number_key" ON "identity"."companies"("managed_by", "registration_number");
