package eu.erpdetachement.identity.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.config.UserChangeProperties;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Repairs drift between Keycloak and the profiles, which only a crash between the two writes can
 * cause. The profile is the truth for email, role, worker id and status: Keycloak is brought in
 * line. A user that looks drifted is repaired only under the profile's row lock, with Keycloak read
 * again under it: every change holds that lock from before its Keycloak call until it commits, so a
 * change still committing is waited for, never "repaired" backwards. A Keycloak user with a tenant
 * but no profile is a creation that never completed: it is deleted once it is older than a grace
 * period (so in-flight creations are left alone).
 */
@Service
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final int PAGE = 200;

    private final KeycloakUsers keycloak;
    private final UserProfileStore profiles;
    private final TransactionalOperator transaction;
    private final Duration changeTimeout;

    public Reconciliation(KeycloakUsers keycloak, UserProfileStore profiles, TransactionalOperator transaction,
            UserChangeProperties change) {
        this.keycloak = keycloak;
        this.profiles = profiles;
        this.transaction = transaction;
        this.changeTimeout = change.timeout();
    }

    public record Report(int checked, int repaired, int removed) {
    }

    @Scheduled(fixedDelayString = "${erp.identity.reconciliation-interval:PT5M}", initialDelayString = "${erp.identity.reconciliation-interval:PT5M}")
    public void scheduled() {
        Report report = reconcile(Instant.now());
        if (report.repaired() + report.removed() > 0) {
            log.warn("Reconciliation repaired {} and removed {} of {} Keycloak users", report.repaired(), report.removed(),
                    report.checked());
        }
    }

    /** Walks every Keycloak user once. Blocking: runs on the scheduler's thread. */
    public Report reconcile(Instant now) {
        int checked = 0;
        int repaired = 0;
        int removed = 0;
        for (int first = 0;; first += PAGE) {
            List<UserRepresentation> page = keycloak.page(first, PAGE);
            for (UserRepresentation user : page) {
                String tenant = attribute(user, "tenant_id");
                if (tenant == null) {
                    continue; // not a tenant user (e.g. a service account)
                }
                checked++;
                UUID userId = UUID.fromString(user.getId());
                UUID tenantId = UUID.fromString(tenant);
                UserProfile profile = profiles.find(tenantId, userId).block(Duration.ofSeconds(10));
                if (profile == null) {
                    boolean old = user.getCreatedTimestamp() != null
                            && Instant.ofEpochMilli(user.getCreatedTimestamp()).isBefore(now.minus(GRACE));
                    if (old) {
                        keycloak.delete(userId);
                        removed++;
                    }
                    continue;
                }
                if (drifted(user, profile)) {
                    try {
                        repaired += repairLocked(tenantId, userId);
                    } catch (RuntimeException e) {
                        log.warn("Reconciliation of user {} failed: {}", userId, e.toString());
                    }
                }
            }
            if (page.size() < PAGE) {
                return new Report(checked, repaired, removed);
            }
        }
    }

    /** Locks the profile (waiting for a change that is committing), reads Keycloak again, repairs. */
    private int repairLocked(UUID tenantId, UUID userId) {
        Integer repaired = profiles.boundTransaction(changeTimeout)
                .then(profiles.findForUpdate(tenantId, userId))
                .flatMap(profile -> Mono.fromCallable(() -> keycloak.find(userId).map(user -> repair(user, profile)).orElse(0))
                        .subscribeOn(Schedulers.boundedElastic()))
                .as(transaction::transactional)
                .timeout(changeTimeout)
                .block(changeTimeout.plusSeconds(5));
        return repaired == null ? 0 : repaired;
    }

    private static boolean drifted(UserRepresentation user, UserProfile profile) {
        return emailOrLanguageDrifted(user, profile) || roleOrWorkerIdDrifted(user, profile)
                || !Objects.equals(user.isEnabled(), profile.active());
    }

    private static boolean emailOrLanguageDrifted(UserRepresentation user, UserProfile profile) {
        return !profile.email().equalsIgnoreCase(Objects.toString(user.getEmail(), ""))
                || !profile.language().equals(attribute(user, "language"));
    }

    private static boolean roleOrWorkerIdDrifted(UserRepresentation user, UserProfile profile) {
        return !profile.role().wireName().equals(attribute(user, "role_type"))
                || profile.workerId() != null && !profile.workerId().toString().equals(attribute(user, "worker_id"));
    }

    private int repair(UserRepresentation user, UserProfile profile) {
        UUID userId = profile.userId();
        int repaired = 0;
        if (emailOrLanguageDrifted(user, profile)) {
            keycloak.updateProfile(userId, profile.email(), profile.language());
            repaired++;
        }
        if (roleOrWorkerIdDrifted(user, profile)) {
            keycloak.changeRole(userId, Role.fromWire(attribute(user, "role_type")).orElse(profile.role()), profile.role(),
                    profile.workerId());
            repaired++;
        }
        if (!Objects.equals(user.isEnabled(), profile.active())) {
            keycloak.setEnabled(userId, profile.active());
            repaired++;
        }
        return repaired;
    }

    private static String attribute(UserRepresentation user, String name) {
        if (user.getAttributes() == null || user.getAttributes().get(name) == null || user.getAttributes().get(name).isEmpty()) {
            return null;
        }
        return user.getAttributes().get(name).get(0);
    }
}
