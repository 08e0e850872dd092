package eu.erpdetachement.identity.settings;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Mono;

/** A tenant's stored overrides and their version (the ETag). */
@Repository
public class TenantSettingsStore {

    public record Stored(String settingsJson, long version) {
    }

    private final DatabaseClient db;

    public TenantSettingsStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Stored> find(UUID tenantId) {
        return db.sql("SELECT settings::text AS settings, version FROM tenant_settings WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> new Stored(row.get("settings", String.class), row.get("version", Long.class)))
                .one();
    }

    /** Writes if the stored version is still {@code expectedVersion}; answers whether it did. */
    public Mono<Boolean> write(UUID tenantId, String settingsJson, long expectedVersion, UUID by) {
        if (expectedVersion == 0) {
            return db.sql("""
                    INSERT INTO tenant_settings (tenant_id, settings, version, updated_by, updated_at)
                    VALUES (:tenant, CAST(:settings AS jsonb), 1, :by, now()) ON CONFLICT (tenant_id) DO NOTHING""")
                    .bind("tenant", tenantId).bind("settings", settingsJson).bind("by", by)
                    .fetch().rowsUpdated().map(n -> n == 1);
        }
        return db.sql("""
                UPDATE tenant_settings SET settings = CAST(:settings AS jsonb), version = version + 1, updated_by = :by,
                    updated_at = now()
                WHERE tenant_id = :tenant AND version = :version""")
                .bind("tenant", tenantId).bind("settings", settingsJson).bind("by", by).bind("version", expectedVersion)
                .fetch().rowsUpdated().map(n -> n == 1);
    }
}
