-- Corrections of check events (decision 0026): appended, never an UPDATE or DELETE of
-- worker_check_events. A correction is a link of the same (tenant, mission, worker) hash chain as
-- the events: one sequence numbers both tables, and writers of a chain hold its advisory lock.
CREATE TABLE check_event_corrections (
    correction_id      uuid PRIMARY KEY,
    tenant_id          uuid         NOT NULL,
    mission_id         uuid         NOT NULL,
    worker_id          uuid         NOT NULL,
    kind               varchar(32)  NOT NULL CHECK (kind IN ('amend_occurred_at', 'supply_check_out', 'supply_check_in')),
    -- a check event of the chain, or an event an earlier correction supplied (its correction_id)
    corrected_event_id uuid         NOT NULL,
    occurred_at        timestamptz  NOT NULL,
    reason             varchar(500) NOT NULL,
    corrected_by       uuid         NOT NULL,
    recorded_at        timestamptz  NOT NULL,
    sequence_no        bigint       NOT NULL,
    previous_hash      char(64),
    hash               char(64)     NOT NULL,
    UNIQUE (tenant_id, mission_id, worker_id, sequence_no)
);
-- a worker's time-sheet finds its chains by worker and time, across missions
CREATE INDEX check_event_corrections_worker ON check_event_corrections (tenant_id, worker_id, occurred_at);
CREATE INDEX worker_check_events_worker ON worker_check_events (tenant_id, worker_id, occurred_at);
