-- First answers to Idempotency-Key requests, replayed to retries (see platform Idempotency).
CREATE TABLE idempotency_keys (
    tenant_id         uuid         NOT NULL,
    operation         varchar(64)  NOT NULL,
    idempotency_key   varchar(255) NOT NULL,
    request_hash      char(64)     NOT NULL,
    response_status   integer,
    response_location varchar(1024),
    response_body     text,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, operation, idempotency_key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
