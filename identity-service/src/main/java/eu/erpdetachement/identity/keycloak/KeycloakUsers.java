package eu.erpdetachement.identity.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

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
        this.admin = KeycloakBuilder.builder()
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

    /** Creates an enabled user with its tenant claims and role; answers the new user id. */
    public UUID create(String email, UUID tenantId, Role role, UUID workerId, String language, String password) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(email);
        user.setEmail(email);
        user.setEnabled(true);
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
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Keycloak refused the user: HTTP " + response.getStatus()
                        + " " + response.readEntity(String.class));
            }
            String location = response.getLocation().getPath();
            UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
            assignRole(id, role);
            return id;
        }
    }

    public void assignRole(UUID userId, Role role) {
        var roleRepresentation = realm().roles().get(role.wireName()).toRepresentation();
        realm().users().get(userId.toString()).roles().realmLevel().add(List.of(roleRepresentation));
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

    private RealmResource realm() {
        return admin.realm(realm);
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
