-- An Idempotency-Key belongs to its caller: the key is scoped by tenant, caller (user id) and
-- operation, so another member of the tenant replaying it does its own request. Keys stored before
-- this change have no known caller: they get the nil id, match nobody, and age out with the purge.
ALTER TABLE idempotency_keys ADD COLUMN caller_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE idempotency_keys ALTER COLUMN caller_id DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (tenant_id, caller_id, operation, idempotency_key);
