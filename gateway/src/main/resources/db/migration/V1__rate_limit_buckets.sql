-- Token buckets of the edge's abuse limits (decision 0016), shared by every gateway instance.
-- id names the limit and its subject (a client address, or the SHA-256 of an email address).
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(255) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
