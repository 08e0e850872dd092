package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/**
 * Keycloak and the identity schema stay in step: a change that Keycloak cannot take leaves the
 * profile as it was (and says 503), and drift that a crash could leave behind is repaired by the
 * reconciliation (every 10 s in the test stack, see the e2e POM).
 */
@ExtendWith(EmbeddedStack.class)
class IdentityFaultIT {

    private final Api api = EmbeddedStack.gateway();

    @Test
    void with_keycloak_stopped_mid_operation_nothing_is_half_written_and_it_works_again_once_back() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("fault"));
        String newcomer = Members.uniqueEmail("fault-new");

        EmbeddedStack.stack().stopKeycloak();
        try {
            // the service's transaction has locked and updated the profile when Keycloak's call fails
            Api.Reply role = api.patchJson("/v1/users/" + member.userId() + "/role", admin, Map.of("role_type", "manager"), Map.of());
            assertThat(role.status()).isEqualTo(503);
            assertThat(role.contentType()).startsWith("application/problem+json");
            Api.Reply status = api.patchJson("/v1/users/" + member.userId() + "/status", admin, Map.of("is_active", false), Map.of());
            assertThat(status.status()).isEqualTo(503);
            assertThat(Members.create(api, admin, newcomer, "worker", true, "en").status()).isEqualTo(503);
            assertThat(api.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials()).status()).isEqualTo(503);

            JsonNode profile = profile(admin, member.email());
            assertThat(profile.get("role_type").asString()).isEqualTo("worker");
            assertThat(profile.get("is_active").asBoolean()).isTrue();
            assertThat(api.get("/v1/users?email_prefix=" + newcomer, admin).json().get("items")).isEmpty();
        } finally {
            EmbeddedStack.stack().startKeycloak();
        }

        // Keycloak was not changed either: the member still signs in as a worker
        assertThat(claim(member.signIn(api), "role_type")).isEqualTo("worker");
        assertThat(api.patchJson("/v1/users/" + member.userId() + "/role", admin, Map.of("role_type", "manager"), Map.of())
                .status()).isEqualTo(200);
        assertThat(claim(member.signIn(api), "role_type")).isEqualTo("manager");
        assertThat(Members.create(api, admin, newcomer, "worker", true, "en").status()).isEqualTo(201);
    }

    @Test
    void the_reconciliation_brings_keycloak_back_in_line_with_the_profiles() throws Exception {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("drift"));
        assertThat(claim(member.signIn(api), "role_type")).isEqualTo("worker");

        // what a crash between the profile's commit and Keycloak's call would leave behind
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement drift = c.prepareStatement("UPDATE identity.users SET role_type = 'compliance_officer' WHERE user_id = ?")) {
            drift.setObject(1, UUID.fromString(member.userId()));
            assertThat(drift.executeUpdate()).isEqualTo(1);
        }

        await("Keycloak's role to follow the profile").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "compliance_officer".equals(claim(member.signIn(api), "role_type")));
    }

    private JsonNode profile(String admin, String email) {
        return api.get("/v1/users?email_prefix=" + email, admin).json().get("items").get(0);
    }

    private static String claim(String jwt, String name) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return Api.JSON.readTree(payload).path(name).asString();
    }
}
