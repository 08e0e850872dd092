package eu.erpdetachement.checkin.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.platform.erasure.RetainedRecords;
import reactor.core.publisher.Mono;

/**
 * The check events of erased workers: the time records labour law requires, kept with the worker id
 * as the pseudonym until the tenant's retention, counted from a chain's last event, ended. A chain
 * (mission, worker) is deleted only whole, so whatever remains still verifies. An erased worker is
 * inactive, so no event joins their chains any more.
 */
@Repository
public class RetainedCheckEvents implements RetainedRecords {

    private final DatabaseClient db;

    public RetainedCheckEvents(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "check-event chains";
    }

    @Override
    public Mono<Long> deleteBatch(UUID tenantId, Instant cutoff, int batchSize) {
        return db.sql("""
                WITH due AS (
                    SELECT e.mission_id, e.worker_id FROM worker_check_events e
                    JOIN erased_users u ON u.tenant_id = e.tenant_id AND u.worker_id = e.worker_id
                    WHERE e.tenant_id = :tenant
                    GROUP BY e.mission_id, e.worker_id
                    HAVING max(e.occurred_at) < :cutoff AND max(e.recorded_at) < :cutoff
                    LIMIT :batch),
                deleted AS (
                    DELETE FROM worker_check_events w USING due
                    WHERE w.tenant_id = :tenant AND w.mission_id = due.mission_id AND w.worker_id = due.worker_id
                    RETURNING 1)
                SELECT (SELECT count(*) FROM due) AS chains, (SELECT count(*) FROM deleted) AS events""")
                .bind("tenant", tenantId).bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).bind("batch", batchSize)
                .map(row -> row.get("chains", Long.class)).one();
    }
}
