-- What this service knows now about each caller, whatever their token says (platform revocation
-- package, docs/decisions/0013). Outside identity it is fed by erp.identity.user.v1; identity reads
-- role and status from its users table and keeps only the session columns here.
CREATE TABLE caller_states (
    user_id              uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL,
    role_type            varchar(32) CHECK (role_type IN ('tenant_admin', 'manager', 'compliance_officer', 'worker')),
    is_active            boolean,
    worker_id            uuid,
    -- the time of the event the access columns come from: an older event never overwrites them
    access_as_of         timestamptz,
    -- tokens issued (iat) in an earlier second are refused (password reset, deactivation)
    sessions_valid_after timestamptz
);
-- "an active worker of the tenant" (check events name a worker_id)
CREATE INDEX caller_states_worker ON caller_states (tenant_id, worker_id);

-- Identity-provider sessions ended by a sign-out, reset or deactivation (the tokens' sid claim).
-- Rows are forgotten once no token of the session can still be unexpired.
CREATE TABLE ended_sessions (
    session_id   varchar(64) PRIMARY KEY,
    user_id      uuid        NOT NULL,
    ended_at     timestamptz NOT NULL,
    forget_after timestamptz NOT NULL
);
CREATE INDEX ended_sessions_forget ON ended_sessions (forget_after);
