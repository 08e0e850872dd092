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
        return CreatedEmails.record(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.test");
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

    /**
     * A new active worker (its worker id is its user id) that the check-in service already knows from
     * identity's events: awaited with a deadline by recording a check-in on a mission of its own.
     */
    static UUID workerKnownToCheckin(Api api, String adminToken) {
        Api.Reply created = create(api, adminToken, uniqueEmail("worker"), "worker", true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        UUID worker = UUID.fromString(created.json().get("user_id").asString()); // a worker created without one gets its user id
        awaitKnownToCheckin(api, adminToken, worker);
        return worker;
    }

    /** Waits, with a deadline, until the check-in service knows the worker from identity's events. */
    static void awaitKnownToCheckin(Api api, String adminToken, UUID worker) {
        String probe = "/v1/missions/" + UUID.randomUUID() + "/worker-check-events";
        Map<String, Object> checkIn = Map.of("worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", java.time.Instant.now().minusSeconds(60).toString(), "source", "web", "metadata", Map.of());
        org.awaitility.Awaitility.await("check-in to know worker " + worker).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.postJson(probe, adminToken, checkIn).status() == 201);
    }

    static Api.Reply create(Api api, String adminToken, String email, String role, boolean active, String language) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("role_type", role);
        body.put("is_active", active);
        body.put("language", language);
        return api.postJson("/v1/users", adminToken, body);
    }

    /** The acme admin and a new member of each other role, all signed in: by role, each member and its access token. */
    record Team(Map<String, Member> members, Map<String, String> tokens) {
    }

    static Team team(Api api, String emailPrefix) {
        Map<String, Member> members = new LinkedHashMap<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        tokens.put("tenant_admin", admin);
        members.put("tenant_admin", new Member(api.get("/v1/me", admin).json().get("user_id").asString(),
                EmbeddedStack.ACME_ADMIN.email(), EmbeddedStack.ACME_ADMIN.password(), "tenant_admin"));
        for (String role : java.util.List.of("manager", "compliance_officer", "worker")) {
            Member member = invite(api, admin, role, uniqueEmail(emailPrefix + "-" + role.replace('_', '-')));
            members.put(role, member);
            tokens.put(role, member.signIn(api));
        }
        return new Team(members, tokens);
    }
}
