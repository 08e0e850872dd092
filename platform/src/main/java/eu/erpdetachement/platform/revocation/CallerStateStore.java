package eu.erpdetachement.platform.revocation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The caller state tables every service has in its own schema ({@code caller_states},
 * {@code ended_sessions}). Files and check-in fill them from erp.identity.user.v1; identity writes
 * the session part itself and reads role and status from its own {@code users} table, which has
 * the same column names, hence {@code accessTable}.
 */
public class CallerStateStore implements CallerStateLookup {

    /** Longer than any access token lives (5 min + skew): after that an ended session id is useless. */
    static final Duration SESSION_MEMORY = Duration.ofHours(1);

    private final DatabaseClient db;
    private final String lookupSql;

    /** Whether {@code :worker} names an active worker of {@code :tenant}: column {@code known}. */
    static final String ACTIVE_WORKER_SQL = """
            SELECT EXISTS (SELECT 1 FROM caller_states WHERE tenant_id = :tenant AND worker_id = :worker
                           AND role_type = 'worker' AND is_active) AS known""";

    /** The projection: role and status from {@code caller_states}. */
    public CallerStateStore(DatabaseClient db) {
        this(db, "caller_states");
    }

    /** @param accessTable a table with user_id, tenant_id, role_type, is_active and worker_id columns */
    public CallerStateStore(DatabaseClient db, String accessTable) {
        this.db = db;
        this.lookupSql = lookupSql(accessTable);
    }

    /** The caller's state in one statement: parameters {@code user} and {@code sid} (never null: "" for none). */
    static String lookupSql(String accessTable) {
        if (!accessTable.matches("[a-z_]+")) {
            throw new IllegalArgumentException("Not a table name: " + accessTable);
        }
        return """
                SELECT a.tenant_id, a.role_type, a.is_active, a.worker_id, s.sessions_valid_after,
                       EXISTS (SELECT 1 FROM ended_sessions e WHERE e.session_id = :sid) AS session_ended
                FROM (SELECT 1) AS one
                LEFT JOIN %s a ON a.user_id = :user
                LEFT JOIN caller_states s ON s.user_id = :user""".formatted(accessTable);
    }

    /** A row of {@link #lookupSql}. */
    static CallerState state(UUID tenantId, String role, Boolean active, UUID workerId, OffsetDateTime validAfter,
            Boolean sessionEnded) {
        return new CallerState(tenantId, role == null ? null : Role.fromWire(role).orElse(null), active, workerId,
                validAfter == null ? null : validAfter.toInstant(), Boolean.TRUE.equals(sessionEnded));
    }

    @Override
    public Mono<CallerState> find(UUID userId, String sessionId) {
        return db.sql(lookupSql)
                .bind("user", userId).bind("sid", sessionId == null ? "" : sessionId)
                .map(row -> state(row.get("tenant_id", UUID.class), row.get("role_type", String.class),
                        row.get("is_active", Boolean.class), row.get("worker_id", UUID.class),
                        row.get("sessions_valid_after", OffsetDateTime.class), row.get("session_ended", Boolean.class)))
                .one()
                .defaultIfEmpty(CallerState.UNKNOWN);
    }

    /** Whether {@code workerId} names an active worker of the tenant, as far as this service has heard. */
    public Mono<Boolean> isActiveWorker(UUID tenantId, UUID workerId) {
        return db.sql(ACTIVE_WORKER_SQL)
                .bind("tenant", tenantId).bind("worker", workerId)
                .map(row -> Boolean.TRUE.equals(row.get("known", Boolean.class))).one();
    }

    /** Stores the user's whole access as of {@code asOf}, unless a later one is stored. */
    public Mono<Void> applyAccess(UUID userId, UUID tenantId, Role role, boolean active, UUID workerId, Instant asOf) {
        var spec = db.sql("""
                INSERT INTO caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of)
                VALUES (:user, :tenant, :role, :active, :worker, :asOf)
                ON CONFLICT (user_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, role_type = EXCLUDED.role_type,
                    is_active = EXCLUDED.is_active, worker_id = EXCLUDED.worker_id, access_as_of = EXCLUDED.access_as_of
                WHERE caller_states.access_as_of IS NULL OR caller_states.access_as_of <= EXCLUDED.access_as_of""")
                .bind("user", userId).bind("tenant", tenantId).bind("role", role.wireName()).bind("active", active)
                .bind("asOf", utc(asOf));
        spec = workerId == null ? spec.bindNull("worker", UUID.class) : spec.bind("worker", workerId);
        return spec.then();
    }

    /** Changes only the role of a user whose access is known (an event without the whole access). */
    public Mono<Void> applyRole(UUID userId, Role role, Instant asOf) {
        return db.sql("""
                UPDATE caller_states SET role_type = :role, access_as_of = :asOf
                WHERE user_id = :user AND role_type IS NOT NULL AND access_as_of <= :asOf""")
                .bind("user", userId).bind("role", role.wireName()).bind("asOf", utc(asOf)).then();
    }

    /** Changes only the status of a user whose access is known (an event without the whole access). */
    public Mono<Void> applyStatus(UUID userId, boolean active, Instant asOf) {
        return db.sql("""
                UPDATE caller_states SET is_active = :active, access_as_of = :asOf
                WHERE user_id = :user AND role_type IS NOT NULL AND access_as_of <= :asOf""")
                .bind("user", userId).bind("active", active).bind("asOf", utc(asOf)).then();
    }

    /**
     * Ends sessions: each listed session id, and, when {@code validAfter} is given, every token of the
     * user issued before it. Idempotent; the not-before instant only moves forward.
     */
    public Mono<Void> endSessions(UUID userId, UUID tenantId, Collection<String> sessionIds, Instant validAfter, Instant at) {
        Mono<Void> notBefore = validAfter == null ? Mono.empty() : db.sql("""
                INSERT INTO caller_states (user_id, tenant_id, sessions_valid_after) VALUES (:user, :tenant, :after)
                ON CONFLICT (user_id) DO UPDATE
                SET sessions_valid_after = GREATEST(caller_states.sessions_valid_after, EXCLUDED.sessions_valid_after)""")
                .bind("user", userId).bind("tenant", tenantId).bind("after", utc(validAfter)).then();
        Mono<Void> ended = Flux.fromIterable(sessionIds)
                .concatMap(sid -> db.sql("""
                        INSERT INTO ended_sessions (session_id, user_id, ended_at, forget_after)
                        VALUES (:sid, :user, :at, :forget) ON CONFLICT (session_id) DO NOTHING""")
                        .bind("sid", sid).bind("user", userId).bind("at", utc(at)).bind("forget", utc(at.plus(SESSION_MEMORY)))
                        .then())
                .then();
        Mono<Void> forget = db.sql("DELETE FROM ended_sessions WHERE forget_after < now()").then();
        return notBefore.then(ended).then(forget);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
