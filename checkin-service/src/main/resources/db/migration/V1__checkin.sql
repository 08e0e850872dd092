-- Worker check-in/check-out records, one hash chain per (tenant, mission, worker).
CREATE TABLE worker_check_events (
    check_event_id uuid PRIMARY KEY,
    tenant_id      uuid        NOT NULL,
    mission_id     uuid        NOT NULL,
    worker_id      uuid        NOT NULL,
    event_type     varchar(16) NOT NULL CHECK (event_type IN ('check_in', 'check_out')),
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    source         varchar(16) NOT NULL,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    recorded_by    uuid        NOT NULL,
    sequence_no    bigint      NOT NULL,
    previous_hash  char(64),
    hash           char(64)    NOT NULL,
    -- the chain has one successor per link: two racing writers cannot both append
    UNIQUE (tenant_id, mission_id, worker_id, sequence_no)
);
CREATE INDEX worker_check_events_timesheet ON worker_check_events (tenant_id, mission_id, worker_id, occurred_at);

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
