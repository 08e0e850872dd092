package eu.erpdetachement.identity.store;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.security.Role;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/** SQL for user profiles; every read is scoped by tenant. */
@Repository
public class UserProfileStore {

    private static final String COLUMNS = "user_id, tenant_id, email, role_type, is_active, language, worker_id, created_at, updated_at";

    private final DatabaseClient db;

    public UserProfileStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<UserProfile> find(UUID tenantId, UUID userId) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE tenant_id = :tenant AND user_id = :user")
                .bind("tenant", tenantId).bind("user", userId)
                .map(UserProfileStore::read).one();
    }

    /** Locks the profile row for the rest of the transaction. */
    public Mono<UserProfile> findForUpdate(UUID tenantId, UUID userId) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE tenant_id = :tenant AND user_id = :user FOR UPDATE")
                .bind("tenant", tenantId).bind("user", userId)
                .map(UserProfileStore::read).one();
    }

    public Mono<UserProfile> findActiveByEmail(String email) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(:email) AND is_active")
                .bind("email", email).map(UserProfileStore::read).one();
    }

    /** The user with this address, active or not. */
    public Mono<UserProfile> findByEmail(String email) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email).map(UserProfileStore::read).one();
    }

    public Mono<Boolean> emailTaken(String email, UUID exceptUserId) {
        return db.sql("SELECT count(*) AS n FROM users WHERE lower(email) = lower(:email) AND user_id <> :except")
                .bind("email", email).bind("except", exceptUserId == null ? new UUID(0, 0) : exceptUserId)
                .map(row -> row.get("n", Long.class) > 0).one();
    }

    /**
     * Bounds the current transaction, which holds locks while it calls Keycloak: waiting for another
     * change's lock, and sitting idle between statements, each give up after {@code timeout}, so a
     * stuck change can neither wait nor block others forever. Call first in the transaction.
     */
    public Mono<Void> boundTransaction(Duration timeout) {
        String millis = Long.toString(timeout.toMillis());
        return db.sql("SELECT set_config('lock_timeout', :ms, true) AS a, set_config('idle_in_transaction_session_timeout', :ms, true) AS b")
                .bind("ms", millis).map(row -> 1).first().then();
    }

    /**
     * Serialises role and status changes within a tenant so the active-admin count read by one
     * change cannot be invalidated by another. Must run inside the change's transaction: the lock is
     * held until it commits or rolls back.
     */
    public Mono<Long> lockTenantAndCountActiveAdmins(UUID tenantId) {
        return db.sql("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(:tenant, 1))")
                .bind("tenant", "users/" + tenantId).map(row -> 1).first()
                .then(db.sql("SELECT count(*) AS n FROM users WHERE tenant_id = :tenant AND role_type = 'tenant_admin' AND is_active")
                        .bind("tenant", tenantId).map(row -> row.get("n", Long.class)).one());
    }

    /** Whether another user of the tenant already has this worker id. */
    public Mono<Boolean> workerIdTaken(UUID tenantId, UUID workerId, UUID exceptUserId) {
        return db.sql("SELECT count(*) AS n FROM users WHERE tenant_id = :tenant AND worker_id = :worker AND user_id <> :except")
                .bind("tenant", tenantId).bind("worker", workerId)
                .bind("except", exceptUserId == null ? new UUID(0, 0) : exceptUserId)
                .map(row -> row.get("n", Long.class) > 0).one();
    }

    public Mono<Void> update(UserProfile p) {
        var spec = db.sql("""
                UPDATE users SET email = :email, role_type = :role, is_active = :active, language = :language,
                    worker_id = :worker, updated_at = now()
                WHERE tenant_id = :tenant AND user_id = :user""")
                .bind("email", p.email()).bind("role", p.role().wireName()).bind("active", p.active())
                .bind("language", p.language()).bind("tenant", p.tenantId()).bind("user", p.userId());
        spec = p.workerId() == null ? spec.bindNull("worker", UUID.class) : spec.bind("worker", p.workerId());
        return spec.then();
    }

    /**
     * Erasure: the email becomes the pseudonym, the user inactive, {@code updated_at} and
     * {@code erased_at} the erasure's time (so an erased profile's {@code updatedAt} says when).
     */
    public Mono<Void> erase(UserProfile erased) {
        return db.sql("""
                UPDATE users SET email = :email, is_active = false, erased_at = :at, updated_at = :at
                WHERE tenant_id = :tenant AND user_id = :user AND erased_at IS NULL""")
                .bind("email", erased.email()).bind("at", erased.updatedAt().atOffset(java.time.ZoneOffset.UTC))
                .bind("tenant", erased.tenantId()).bind("user", erased.userId()).then();
    }

    /** When the user was erased; empty when they were not. */
    public Mono<java.time.Instant> erasedAt(UUID tenantId, UUID userId) {
        return db.sql("SELECT erased_at FROM users WHERE tenant_id = :tenant AND user_id = :user AND erased_at IS NOT NULL")
                .bind("tenant", tenantId).bind("user", userId)
                .map(row -> row.get("erased_at", OffsetDateTime.class).toInstant()).one();
    }

    /** Which unique rule a failed write broke, if it broke one of the profile's: {@code email} or {@code worker_id}. */
    public static java.util.Optional<String> violatedUniqueField(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("users_email_key")) {
                return java.util.Optional.of("email");
            }
            if (message.contains("users_tenant_worker_key")) {
                return java.util.Optional.of("worker_id");
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether a transaction gave up waiting for a lock or was ended for sitting idle (see {@link #boundTransaction}). */
    public static boolean timedOut(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof io.r2dbc.spi.R2dbcException r2dbc
                    && ("55P03".equals(r2dbc.getSqlState()) || "25P03".equals(r2dbc.getSqlState()) || "57014".equals(r2dbc.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /** One page in email order, after the cursor's email; filters are optional. */
    public reactor.core.publisher.Flux<UserProfile> page(UUID tenantId, Role role, Boolean active, String emailPrefix,
            String afterEmail, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM users WHERE tenant_id = :tenant");
        if (role != null) {
            sql.append(" AND role_type = :role");
        }
        if (active != null) {
            sql.append(" AND is_active = :active");
        }
        if (emailPrefix != null) {
            sql.append(" AND lower(email) LIKE :prefix ESCAPE '\\'");
        }
        if (afterEmail != null) {
            sql.append(" AND lower(email) > :after");
        }
        sql.append(" ORDER BY lower(email) LIMIT :limit");
        var spec = db.sql(sql.toString()).bind("tenant", tenantId).bind("limit", limit);
        if (role != null) {
            spec = spec.bind("role", role.wireName());
        }
        if (active != null) {
            spec = spec.bind("active", active);
        }
        if (emailPrefix != null) {
            spec = spec.bind("prefix", emailPrefix.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (afterEmail != null) {
            spec = spec.bind("after", afterEmail.toLowerCase());
        }
        return spec.map(UserProfileStore::read).all();
    }

    /** Inserts the profile unless one with this id exists; answers whether it inserted. */
    public Mono<Boolean> insertIfAbsent(UserProfile p) {
        var spec = db.sql("""
                INSERT INTO users (user_id, tenant_id, email, role_type, is_active, language, worker_id)
                VALUES (:user, :tenant, :email, :role, :active, :language, :worker)
                ON CONFLICT (user_id) DO NOTHING""")
                .bind("user", p.userId()).bind("tenant", p.tenantId()).bind("email", p.email())
                .bind("role", p.role().wireName()).bind("active", p.active()).bind("language", p.language());
        spec = p.workerId() == null ? spec.bindNull("worker", UUID.class) : spec.bind("worker", p.workerId());
        return spec.fetch().rowsUpdated().map(n -> n > 0);
    }

    static UserProfile read(Readable row) {
        return new UserProfile(
                row.get("user_id", UUID.class),
                row.get("tenant_id", UUID.class),
                row.get("email", String.class),
                Role.fromWire(row.get("role_type", String.class)).orElseThrow(),
                Boolean.TRUE.equals(row.get("is_active", Boolean.class)),
                row.get("language", String.class),
                row.get("worker_id", UUID.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
