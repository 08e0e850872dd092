-- Logical files: metadata and where the object is stored. Keys live under tenants/{tenant_id}/.
CREATE TABLE files (
    file_id          uuid PRIMARY KEY,
    tenant_id        uuid          NOT NULL,
    storage_provider varchar(16)   NOT NULL,
    bucket           varchar(63)   NOT NULL,
    object_key       varchar(1024) NOT NULL,
    filename         varchar(255)  NOT NULL,
    mime_type        varchar(255)  NOT NULL,
    size_bytes       bigint        NOT NULL CHECK (size_bytes >= 0),
    sha256_hash      char(64)      NOT NULL,
    status           varchar(16)   NOT NULL CHECK (status IN ('pending_upload', 'uploaded', 'expired')),
    uploaded_by      uuid          NOT NULL,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    uploaded_at      timestamptz,
    UNIQUE (bucket, object_key)
);
CREATE INDEX files_tenant ON files (tenant_id, file_id);
CREATE INDEX files_pending ON files (created_at) WHERE status = 'pending_upload';

-- A file attached to a business entity for a purpose.
CREATE TABLE file_links (
    file_link_id uuid PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    file_id      uuid        NOT NULL REFERENCES files (file_id),
    entity_type  varchar(32) NOT NULL,
    entity_id    uuid        NOT NULL,
    purpose      varchar(32) NOT NULL,
    linked_by    uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, file_id, entity_type, entity_id, purpose)
);
CREATE INDEX file_links_entity ON file_links (tenant_id, entity_type, entity_id);

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
