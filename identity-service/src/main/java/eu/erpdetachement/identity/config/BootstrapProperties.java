package eu.erpdetachement.identity.config;

import java.util.List;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Tenants whose first admin is ensured at start (idempotent): how a new tenant gets its first user. */
@ConfigurationProperties("erp.bootstrap")
public record BootstrapProperties(List<Tenant> tenants) {

    public BootstrapProperties {
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }

    public record Tenant(String slug, UUID id, String adminEmail, String adminPassword) {
    }
}
