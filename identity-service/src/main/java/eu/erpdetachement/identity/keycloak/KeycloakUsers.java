package eu.erpdetachement.identity.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import java.util.concurrent.TimeUnit;

import org.keycloak.admin.client.ClientBuilderWrapper;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import eu.erpdetachement.identity.config.KeycloakProperties;
import eu.erpdetachement.platform.security.Role;

/**
 * Keycloak's admin API through the service account of the confidential client. Blocking: callers run
 * it on a bounded elastic scheduler.
 */
@Component
public class KeycloakUsers implements DisposableBean {

    private final Keycloak admin;
    private final String realm;

    public KeycloakUsers(KeycloakProperties properties) {
        this.realm = properties.realm();
        // every admin call is bounded: callers hold a row lock while they wait (see KeycloakProperties)
        var builder = (org.jboss.resteasy.client.jaxrs.ResteasyClientBuilder) ClientBuilderWrapper.create(null, false);
        builder.connectionCheckoutTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        jakarta.ws.rs.client.Client http = builder
                .register(JacksonProvider.class, 100)
                .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.admin = KeycloakBuilder.builder()
                .resteasyClient(http)
                .serverUrl(properties.url())
                .realm(properties.realm())
                .grantType("client_credentials")
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .build();
    }

    public Optional<UserRepresentation> findByEmail(String email) {
        return realm().users().searchByEmail(email, true).stream().findFirst();
    }

    /**
     * Creates a user with its tenant claims and role, enabled or not from the start; answers the new
     * user id. A user whose role cannot be assigned is deleted again, so a retry is not refused as a
     * duplicate.
     */
    public UUID create(String email, UUID tenantId, Role role, UUID workerId, String language, String password,
            boolean enabled) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setEnabled(enabled);
        user.setEmailVerified(true);
        user.setAttributes(attributes(tenantId, role, workerId, language));
        if (password != null) {
            CredentialRepresentation credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(password);
            credential.setTemporary(false);
            user.setCredentials(List.of(credential));
        }
        try (Response response = realm().users().create(user)) {
            if (response.getStatus() == 409) {
                throw new DuplicateUser(email);
            }
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Keycloak refused the user: HTTP " + response.getStatus()
                        + " " + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
            try {
                if (role == Role.WORKER && workerId == null) {
                    // a worker without a separate worker id is identified by its user id
                    var resource = realm().users().get(id.toString());
                    UserRepresentation created = resource.toRepresentation();
                    created.setAttributes(attributes(tenantId, role, id, language));
                    resource.update(created);
                }
                assignRole(id, role);
            } catch (RuntimeException e) {
                try {
                    delete(id); // compensate: no half-made user that blocks the email
                } catch (RuntimeException deleteFailed) {
                    e.addSuppressed(deleteFailed); // the reconciliation removes it after its grace period
                }
                throw e;
            }
            return id;
        }
    }

    public void assignRole(UUID userId, Role role) {
        var roleRepresentation = realm().roles().get(role.wireName()).toRepresentation();
        realm().users().get(userId.toString()).roles().realmLevel().add(List.of(roleRepresentation));
    }

    public void delete(UUID userId) {
        try (Response ignored = realm().users().delete(userId.toString())) {
            // 204, or 404 when it is already gone: both leave no user behind
        }
    }

    /** Email (which is also the username) and language. */
    public void updateProfile(UUID userId, String email, String language) {
        var resource = realm().users().get(userId.toString());
        UserRepresentation user = resource.toRepresentation();
        user.setEmail(email);
        user.setUsername(email);
        var attributes = user.getAttributes() == null ? new java.util.HashMap<String, List<String>>()
                : new java.util.HashMap<>(user.getAttributes());
        attributes.put("language", List.of(language));
        user.setAttributes(attributes);
        resource.update(user);
    }

    /** Enables or disables sign-in; disabling also ends every session of the user. */
    public void setEnabled(UUID userId, boolean enabled) {
        var resource = realm().users().get(userId.toString());
        UserRepresentation user = resource.toRepresentation();
        user.setEnabled(enabled);
        resource.update(user);
        if (!enabled) {
            resource.logout();
        }
    }

    /**
     * Erasure: disables the user, replaces username and email by the pseudonym and drops the names,
     * in one update, then ends every session. Answers the user as it was, for {@link #restore}.
     */
    public UserRepresentation erase(UUID userId, String pseudonymEmail) {
        var resource = realm().users().get(userId.toString());
        UserRepresentation before = resource.toRepresentation();
        UserRepresentation erased = resource.toRepresentation();
        erased.setUsername(pseudonymEmail);
        erased.setEmail(pseudonymEmail);
        erased.setFirstName(null);
        erased.setLastName(null);
        erased.setEnabled(false);
        resource.update(erased);
        resource.logout();
        return before;
    }

    /** Compensates an {@link #erase} whose later steps failed: the user's names, email and status as they were. */
    public void restore(UserRepresentation before) {
        var resource = realm().users().get(before.getId());
        UserRepresentation user = resource.toRepresentation();
        user.setUsername(before.getUsername());
        user.setEmail(before.getEmail());
        user.setFirstName(before.getFirstName());
        user.setLastName(before.getLastName());
        user.setEnabled(before.isEnabled());
        resource.update(user);
    }

    /**
     * Moves the user from one realm role to another and updates the role claim, and the worker id
     * claim when one is given (a user who becomes a worker gets one).
     */
    public void changeRole(UUID userId, Role from, Role to, UUID workerId) {
        var resource = realm().users().get(userId.toString());
        UserRepresentation user = resource.toRepresentation();
        var attributes = user.getAttributes() == null ? new java.util.HashMap<String, List<String>>()
                : new java.util.HashMap<>(user.getAttributes());
        attributes.put("role_type", List.of(to.wireName()));
        if (workerId != null) {
            attributes.put("worker_id", List.of(workerId.toString()));
        }
        user.setAttributes(attributes);
        resource.update(user);
        resource.roles().realmLevel().remove(List.of(realm().roles().get(from.wireName()).toRepresentation()));
        resource.roles().realmLevel().add(List.of(realm().roles().get(to.wireName()).toRepresentation()));
    }

    /** Sets a new password (checked against the realm's policy) and ends every session. */
    public void resetPassword(UUID userId, String password) {
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        var resource = realm().users().get(userId.toString());
        resource.resetPassword(credential);
        resource.logout();
    }

    /** Ends one session (an access token's {@code sid}); its refresh token stops working. */
    public void endSession(String sessionId) {
        try {
            realm().deleteSession(sessionId, false);
        } catch (jakarta.ws.rs.NotFoundException alreadyEnded) {
            // signing out twice is not an error
        }
    }

    /** The ids of the user's open sessions (the {@code sid} of their tokens). */
    public List<String> sessionIds(UUID userId) {
        try {
            return realm().users().get(userId.toString()).getUserSessions().stream()
                    .map(org.keycloak.representations.idm.UserSessionRepresentation::getId).toList();
        } catch (jakarta.ws.rs.NotFoundException e) {
            return List.of();
        }
    }

    /**
     * The second before which Keycloak refuses the user's tokens (set by a logout of all sessions),
     * by Keycloak's own clock, the one that stamps {@code iat}; empty when never set.
     */
    public Optional<java.time.Instant> notBefore(UUID userId) {
        Integer notBefore = realm().users().get(userId.toString()).toRepresentation().getNotBefore();
        return notBefore == null || notBefore <= 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochSecond(notBefore));
    }

    /** Whether Keycloak's brute-force detection holds the user locked out now. */
    public boolean lockedOut(UUID userId) {
        java.util.Map<String, Object> status = realm().attackDetection().bruteForceUserStatus(userId.toString());
        return Boolean.TRUE.equals(status.get("disabled"));
    }

    public void logout(UUID userId) {
        realm().users().get(userId.toString()).logout();
    }

    public Optional<UserRepresentation> find(UUID userId) {
        try {
            return Optional.of(realm().users().get(userId.toString()).toRepresentation());
        } catch (jakarta.ws.rs.NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Users of the realm that carry a tenant claim, page by page. */
    public List<UserRepresentation> page(int first, int max) {
        return realm().users().list(first, max);
    }

    private static Map<String, List<String>> attributes(UUID tenantId, Role role, UUID workerId, String language) {
        var attributes = new java.util.HashMap<String, List<String>>();
        attributes.put("tenant_id", List.of(tenantId.toString()));
        attributes.put("role_type", List.of(role.wireName()));
        attributes.put("language", List.of(language));
        if (workerId != null) {
            attributes.put("worker_id", List.of(workerId.toString()));
        }
        return attributes;
    }

    /** Keycloak already has a user with this email. */
    public static final class DuplicateUser extends RuntimeException {
        public DuplicateUser(String email) {
            super("A user with this email exists: " + email, null, false, false);
        }
    }

    private RealmResource realm() {
        return admin.realm(realm);
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
