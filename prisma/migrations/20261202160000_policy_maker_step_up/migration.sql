-- Seed 001: whether submitting a kind needs the maker's fresh strong authentication (null: the kind's default).
ALTER TABLE "authorizations"."change_policies" ADD COLUMN "maker_step_up" BOOLEAN;
