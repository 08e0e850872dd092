-- The W3C trace context of the request that made the change (decision 0021): the relay puts it on
-- the Kafka record as its traceparent header. Null for changes made outside a trace (scheduled jobs).
ALTER TABLE outbox ADD COLUMN traceparent varchar(55);
