-- A worker id names one user of a tenant. Users who shared one before keep it on the earliest
-- created; the others get their own user id (the rule of an invitation without a worker id).
UPDATE users u SET worker_id = u.user_id
WHERE u.worker_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM users o
              WHERE o.tenant_id = u.tenant_id AND o.worker_id = u.worker_id AND o.user_id <> u.user_id
                AND (o.created_at, o.user_id) < (u.created_at, u.user_id));
CREATE UNIQUE INDEX users_tenant_worker_key ON users (tenant_id, worker_id) WHERE worker_id IS NOT NULL;
