package eu.erpdetachement.platform.erasure;

import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The service's {@code erased_users} table: whom it erased, under which pseudonyms (the ids), and
 * when. The retention sweep deletes the records of these people once their retention ended. The
 * caller's idempotency answers are forgotten too: they may hold what the person sent.
 */
public class ErasedUsers {

    private final DatabaseClient db;

    public ErasedUsers(DatabaseClient db) {
        this.db = db;
    }

    /** Idempotent: a repeated event changes nothing. */
    public Mono<Void> remember(UserErased erased) {
        var spec = db.sql("""
                INSERT INTO erased_users (user_id, tenant_id, worker_id, erased_at) VALUES (:user, :tenant, :worker, :at)
                ON CONFLICT (user_id) DO NOTHING""")
                .bind("user", erased.userId()).bind("tenant", erased.tenantId())
                .bind("at", erased.erasedAt().atOffset(ZoneOffset.UTC));
        spec = erased.workerId() == null ? spec.bindNull("worker", UUID.class) : spec.bind("worker", erased.workerId());
        return spec.then()
                .then(db.sql("DELETE FROM idempotency_keys WHERE tenant_id = :tenant AND caller_id = :user")
                        .bind("tenant", erased.tenantId()).bind("user", erased.userId()).then());
    }

    /** The tenants that have erased people. */
    public Flux<UUID> tenants() {
        return db.sql("SELECT DISTINCT tenant_id FROM erased_users").map(row -> row.get("tenant_id", UUID.class)).all();
    }
}
