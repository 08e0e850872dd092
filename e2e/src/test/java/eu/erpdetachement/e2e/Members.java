package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Team members created the way a tenant admin does it: invited by email, password set from the link. */
final class Members {

    static final String PASSWORD = "Posted-Worker-2026!";

    record Member(String userId, String email, String password, String role) {

        String signIn(Api api) {
            Api.Reply reply = api.postJson("/v1/auth/login", null, Map.of("email", email, "password", password));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            return reply.json().get("access_token").asString();
        }
    }

    private Members() {
    }

    static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test";
    }

    /** Creates the user, reads the invitation from the inbox and sets the password with its token. */
    static Member invite(Api api, String adminToken, String role, String email) {
        Api.Reply created = create(api, adminToken, email, role, true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = Mailbox.await(email, 1, Duration.ofSeconds(30)).get(0).token("/set-password");
        Api.Reply set = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password", PASSWORD));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        return new Member(created.json().get("user_id").asString(), email, PASSWORD, role);
    }

    static Api.Reply create(Api api, String adminToken, String email, String role, boolean active, String language) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("role_type", role);
        body.put("is_active", active);
        body.put("language", language);
        return api.postJson("/v1/users", adminToken, body);
    }
}
