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

import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;

/**
 * Repairs drift between Keycloak and the profiles, which only a crash between the two writes can
 * cause. The profile is the truth for email, role and status: Keycloak is brought in line. A
 * Keycloak user with a tenant but no profile is a creation that never completed: it is deleted once
 * it is older than a grace period (so in-flight creations are left alone).
 */
@Service
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final int PAGE = 200;

    private final KeycloakUsers keycloak;
    private final UserProfileStore profiles;

    public Reconciliation(KeycloakUsers keycloak, UserProfileStore profiles) {
        this.keycloak = keycloak;
        this.profiles = profiles;
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
                UserProfile profile = profiles.find(UUID.fromString(tenant), userId).block(Duration.ofSeconds(10));
                if (profile == null) {
                    boolean old = user.getCreatedTimestamp() != null
                            && Instant.ofEpochMilli(user.getCreatedTimestamp()).isBefore(now.minus(GRACE));
                    if (old) {
                        keycloak.delete(userId);
                        removed++;
                    }
                    continue;
                }
                if (!profile.email().equalsIgnoreCase(Objects.toString(user.getEmail(), ""))
                        || !profile.language().equals(attribute(user, "language"))) {
                    keycloak.updateProfile(userId, profile.email(), profile.language());
                    repaired++;
                }
                if (!profile.role().wireName().equals(attribute(user, "role_type"))) {
                    keycloak.changeRole(userId, eu.erpdetachement.platform.security.Role.fromWire(attribute(user, "role_type"))
                            .orElse(profile.role()), profile.role());
                    repaired++;
                }
                if (!Objects.equals(user.isEnabled(), profile.active())) {
                    keycloak.setEnabled(userId, profile.active());
                    repaired++;
                }
            }
            if (page.size() < PAGE) {
                return new Report(checked, repaired, removed);
            }
        }
    }

    private static String attribute(UserRepresentation user, String name) {
        if (user.getAttributes() == null || user.getAttributes().get(name) == null || user.getAttributes().get(name).isEmpty()) {
            return null;
        }
        return user.getAttributes().get(name).get(0);
    }
}
