package eu.erpdetachement.platform.settings;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's local copy of each tenant's effective settings, fed by TenantSettingsUpdated. Until
 * the first event for a tenant arrives, callers use their defaults. Applying is idempotent and
 * order-safe: an event older than what is stored is ignored.
 *
 * <p>What was read is kept in memory for {@code cacheTtl} (one query per tenant and interval instead
 * of one per request, decision 0033); this instance forgets a tenant's entry as soon as it applies an
 * update, another instance of the service within {@code cacheTtl}. The settings are shared between
 * requests: callers only read them.
 */
public class TenantSettingsView {

    private final DatabaseClient db;
    private final JsonMapper json;
    /** Absent when {@code cacheTtl} is zero: every read asks the database. */
    private final Cache<UUID, Optional<JsonNode>> recent;

    public TenantSettingsView(DatabaseClient db, JsonMapper json, Duration cacheTtl) {
        this.db = db;
        this.json = json;
        this.recent = cacheTtl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build();
    }

    /** The tenant's settings, or empty when none were ever announced. */
    public Mono<JsonNode> settings(UUID tenantId) {
        Optional<JsonNode> known = recent == null ? null : recent.getIfPresent(tenantId);
        if (known != null) {
            return Mono.justOrEmpty(known);
        }
        // read by each caller on its own connection (inside its transaction, if any), never shared: a
        // read shared by callers that each hold a connection needs one more, and can exhaust the pool
        return read(tenantId).map(Optional::of).defaultIfEmpty(Optional.empty())
                .doOnNext(found -> {
                    if (recent != null) {
                        recent.put(tenantId, found);
                    }
                })
                .flatMap(Mono::justOrEmpty);
    }

    private Mono<JsonNode> read(UUID tenantId) {
        return db.sql("SELECT settings::text AS settings FROM tenant_settings_view WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> json.readTree(row.get("settings", String.class)))
                .one();
    }

    /** Stores the announced settings unless a newer version is already stored; answers whether it did. */
    public Mono<Boolean> apply(UUID tenantId, JsonNode settings, long version) {
        return db.sql("""
                INSERT INTO tenant_settings_view (tenant_id, settings, version) VALUES (:tenant, CAST(:settings AS jsonb), :version)
                ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings, version = EXCLUDED.version
                WHERE tenant_settings_view.version < EXCLUDED.version""")
                .bind("tenant", tenantId).bind("settings", json.writeValueAsString(settings)).bind("version", version)
                .fetch().rowsUpdated().map(n -> n > 0)
                .doOnNext(stored -> {
                    if (stored && recent != null) {
                        recent.invalidate(tenantId);
                    }
                });
    }
}
