-- The people this service erased (UserErased, docs/data-protection.md), under the ids that stay as
-- their pseudonyms: the retention sweep deletes their retained records once the tenant's
-- records_retention_months ended.
CREATE TABLE erased_users (
    user_id   uuid PRIMARY KEY,
    tenant_id uuid        NOT NULL,
    worker_id uuid,
    erased_at timestamptz NOT NULL
);
CREATE INDEX erased_users_worker ON erased_users (tenant_id, worker_id);
