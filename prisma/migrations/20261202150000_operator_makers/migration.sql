-- Operators submit change requests for the companies they manage (issue 16): the maker is a
-- user of the company or an operator; maker_user_id then holds the operator's id.
ALTER TABLE "authorizations"."change_requests" ADD COLUMN "maker_kind" TEXT NOT NULL DEFAULT 'user';
