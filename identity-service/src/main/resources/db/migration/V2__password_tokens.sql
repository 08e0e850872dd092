-- Single-use tokens for invitations (7 days) and password resets (30 minutes). Only their SHA-256 is kept.
CREATE TABLE password_tokens (
    token_hash char(64)    PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (user_id),
    tenant_id  uuid        NOT NULL,
    purpose    varchar(16) NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);
