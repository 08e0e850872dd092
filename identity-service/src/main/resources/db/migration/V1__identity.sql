-- Profiles of the users Keycloak authenticates; user_id is Keycloak's user id (the token's sub).
CREATE TABLE users (
    user_id    uuid PRIMARY KEY,
    tenant_id  uuid        NOT NULL,
    email      varchar(320) NOT NULL,
    role_type  varchar(32) NOT NULL CHECK (role_type IN ('tenant_admin', 'manager', 'compliance_officer', 'worker')),
    is_active  boolean     NOT NULL DEFAULT true,
    language   varchar(2)  NOT NULL DEFAULT 'fr',
    worker_id  uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- One realm serves every tenant, so an email names one user across tenants.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
-- Keyset paging within a tenant.
CREATE INDEX users_tenant_page ON users (tenant_id, user_id);

CREATE TABLE tenant_settings (
    tenant_id  uuid PRIMARY KEY,
    settings   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    version    bigint      NOT NULL DEFAULT 0,
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Transactional outbox, read by the relay through logical decoding (Debezium Outbox Event Router columns).
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    tenant_id     uuid         NOT NULL,
    payload       jsonb        NOT NULL,
    occurred_at   timestamptz  NOT NULL DEFAULT now()
);
