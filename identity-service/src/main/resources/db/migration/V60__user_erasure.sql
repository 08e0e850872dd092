-- An erased user (POST /v1/users/{id}:erase, docs/data-protection.md): the profile stays, under its
-- id, with a pseudonym for the email, so that what other services keep under the id still points at
-- somebody; erased_at says when, and that no change applies to it any more.
ALTER TABLE users ADD COLUMN erased_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_erased_inactive CHECK (erased_at IS NULL OR NOT is_active);
