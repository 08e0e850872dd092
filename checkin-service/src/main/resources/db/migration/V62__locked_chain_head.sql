-- A check-in takes its chain's advisory lock, then reads the chain's last event: one round trip
-- instead of two (issue 14, docs/performance.md). Two statements still, inside the function: the
-- head must be read by a statement whose snapshot is taken after the lock was granted, which a
-- VOLATILE function's next statement does (one statement holding both would read a snapshot from
-- before the wait and miss the writer it waited for). The lock key is the one CheckEventStore.lockChain
-- takes, so corrections and check-ins of one chain still exclude each other.
CREATE FUNCTION locked_chain_head(p_tenant uuid, p_mission uuid, p_worker uuid)
RETURNS TABLE (head_id uuid, head_sequence_no bigint, head_event_type varchar, head_occurred_at timestamptz,
               head_hash char(64), chain_corrected boolean)
-- the tables of this schema whoever calls it, whatever the caller's search_path
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant::text || '/' || p_mission::text || '/' || p_worker::text, 0));
    RETURN QUERY
        SELECT e.check_event_id, e.sequence_no, e.event_type, e.occurred_at, e.hash,
            EXISTS (SELECT 1 FROM check_event_corrections c
                    WHERE c.tenant_id = p_tenant AND c.mission_id = p_mission AND c.worker_id = p_worker)
        FROM worker_check_events e
        WHERE e.tenant_id = p_tenant AND e.mission_id = p_mission AND e.worker_id = p_worker
        ORDER BY e.sequence_no DESC LIMIT 1;
END
$$;
