package eu.erpdetachement.identity.bootstrap;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.config.BootstrapProperties;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.audit.UserAudit;
import eu.erpdetachement.identity.events.UserEvents;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Mono;

/**
 * Ensures the first admin of each configured tenant exists, in Keycloak and as a profile. Idempotent,
 * so it runs at every start; the service only reports ready once it has succeeded.
 */
@Component
public class TenantBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrap.class);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    private final BootstrapProperties properties;
    private final KeycloakUsers keycloak;
    private final UserProfileStore profiles;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;

    public TenantBootstrap(BootstrapProperties properties, KeycloakUsers keycloak, UserProfileStore profiles,
            OutboxWriter outbox, AuditTrail audit, TransactionalOperator transaction) {
        this.audit = audit;
        this.properties = properties;
        this.keycloak = keycloak;
        this.profiles = profiles;
        this.outbox = outbox;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        for (BootstrapProperties.Tenant tenant : properties.tenants()) {
            while (true) {
                try {
                    ensureAdmin(tenant);
                    break;
                } catch (RuntimeException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Cannot bootstrap tenant " + tenant.slug(), e);
                    }
                    log.warn("Tenant {} bootstrap failed ({}); retrying", tenant.slug(), e.getMessage());
                    Thread.sleep(2000); // retry back-off while Keycloak comes up, not a synchronisation
                }
            }
        }
    }

    private void ensureAdmin(BootstrapProperties.Tenant tenant) {
        var existing = keycloak.findByEmail(tenant.adminEmail());
        var userId = existing.map(u -> java.util.UUID.fromString(u.getId()))
                .orElseGet(() -> keycloak.create(tenant.adminEmail(), tenant.id(), Role.TENANT_ADMIN, null, "fr",
                        tenant.adminPassword(), true));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UserProfile admin = new UserProfile(userId, tenant.id(), tenant.adminEmail(), Role.TENANT_ADMIN, true, "fr", null,
                now, now);
        // announced like any other user, in the transaction that creates the profile (created_by: nobody)
        boolean inserted = Boolean.TRUE.equals(profiles.insertIfAbsent(admin)
                .flatMap(created -> created ? outbox.append(UserEvents.created(admin, null, now))
                        .then(audit.record(UserAudit.changed("user.invited", null, null, admin))).thenReturn(true) : Mono.just(false))
                .as(transaction::transactional)
                .block(Duration.ofSeconds(30)));
        log.info("Tenant {} ({}) admin {} {}", tenant.slug(), tenant.id(), tenant.adminEmail(),
                inserted ? "created" : "already present");
    }
}
