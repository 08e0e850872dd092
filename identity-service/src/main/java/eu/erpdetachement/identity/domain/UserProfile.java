package eu.erpdetachement.identity.domain;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.platform.security.Role;

/** A tenant user's profile; credentials and sessions live in Keycloak under the same id. */
public record UserProfile(UUID userId, UUID tenantId, String email, Role role, boolean active, String language,
        UUID workerId, Instant createdAt, Instant updatedAt) {
}
