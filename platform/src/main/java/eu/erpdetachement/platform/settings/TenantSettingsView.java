package eu.erpdetachement.platform.settings;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's local copy of each tenant's effective settings, fed by TenantSettingsUpdated. Until
 * the first event for a tenant arrives, callers use their defaults. Applying is idempotent and
 * order-safe: an event older than what is stored is ignored.
 */
public class TenantSettingsView {

    private final DatabaseClient db;
    private final JsonMapper json;

    public TenantSettingsView(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The tenant's settings, or empty when none were ever announced. */
    public Mono<JsonNode> settings(UUID tenantId) {
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
                .fetch().rowsUpdated().map(n -> n > 0);
    }
}
