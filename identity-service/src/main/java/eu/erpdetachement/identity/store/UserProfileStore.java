package eu.erpdetachement.identity.store;

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
