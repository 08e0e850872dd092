package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/**
 * Team changes that must hold under concurrency and after an address change (issues 11 and 12):
 * the last active admin survives any race, links die with the address they were mailed to, two
 * changes to one address or one worker id give a conflict, not a server error, and a user who
 * becomes a worker can check in.
 */
@ExtendWith(EmbeddedStack.class)
class IdentityIntegrityIT {

    private static final String USERS_TOPIC = "erp.identity.user.v1";
    /** A tenant only these races use (see DevstackConfig.forTests): its first admin gets demoted. */
    private static final int ROUNDS = 10;

    private static final Api api = EmbeddedStack.gateway();

    // --- the last active admin ----------------------------------------------------------------------

    @Test
    void two_admins_demoting_each_other_at_once_always_leave_one_active_admin() throws Exception {
        raceMutually("role", Map.of("role_type", "manager"));
    }

    @Test
    void two_admins_deactivating_each_other_at_once_always_leave_one_active_admin() throws Exception {
        raceMutually("status", Map.of("is_active", false));
    }

    /**
     * Each round: two fresh admins become the tenant's only active admins, then each changes the
     * other at the same moment. Exactly one change may win; the tenant keeps an active admin who can
     * still manage it.
     */
    private static void raceMutually(String what, Map<String, Object> change) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 1; round <= ROUNDS; round++) {
                String boss = RaceTenant.signInAsActiveAdmin(api);
                Members.Member a = Members.invite(api, boss, "tenant_admin", Members.uniqueEmail("race-a"));
                Members.Member b = Members.invite(api, boss, "tenant_admin", Members.uniqueEmail("race-b"));
                String tokenA = a.signIn(api);
                String tokenB = b.signIn(api);
                for (String other : RaceTenant.activeAdmins()) {
                    if (!other.equals(a.userId()) && !other.equals(b.userId())) {
                        Api.Reply demoted = api.patchJson("/v1/users/" + other + "/role", tokenA, Map.of("role_type", "manager"), Map.of());
                        assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
                    }
                }
                assertThat(RaceTenant.activeAdmins()).containsExactlyInAnyOrder(a.userId(), b.userId());

                CountDownLatch start = new CountDownLatch(1);
                Future<Api.Reply> aChangesB = threads.submit(() -> {
                    start.await();
                    return api.patchJson("/v1/users/" + b.userId() + "/" + what, tokenA, change, Map.of());
                });
                Future<Api.Reply> bChangesA = threads.submit(() -> {
                    start.await();
                    return api.patchJson("/v1/users/" + a.userId() + "/" + what, tokenB, change, Map.of());
                });
                start.countDown();
                List<Integer> statuses = List.of(aChangesB.get().status(), bChangesA.get().status());

                assertThat(statuses).as("round %d: %s, %s", round, aChangesB.get().body(), bChangesA.get().body())
                        .containsOnlyOnce(200);
                // the loser is refused as the last admin (409), or as no longer an admin (403) or active (401)
                assertThat(statuses).allMatch(s -> s == 200 || s == 409 || s == 403 || s == 401);
                List<String> survivors = RaceTenant.activeAdmins();
                assertThat(survivors).as("round %d", round).hasSize(1);
                Members.Member survivor = survivors.get(0).equals(a.userId()) ? a : b;
                Api.Reply list = api.get("/v1/users?role_type=tenant_admin&is_active=true", survivor.signIn(api));
                assertThat(list.status()).as(list.body()).isEqualTo(200);
            }
        }
    }

    /** Signs in as an active admin of the race tenant: its first admin, or a survivor of an earlier round. */


    @Test
    void a_tenants_first_admin_is_announced_as_created() {
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), USERS_TOPIC)) {
            KafkaEvents.Event created = events.await(e -> "UserCreated".equals(e.headers().get("ce_type"))
                    && RaceTenant.BOOTSTRAP_ADMIN.equals(e.json().path("email").asString()), 1, Duration.ofSeconds(60)).get(0);
            assertThat(KafkaEvents.violations("UserCreated", created.value())).isEmpty();
            assertThat(created.json().get("tenant_id").asString()).isEqualTo(RaceTenant.ID);
            assertThat(created.json().get("role_type").asString()).isEqualTo("tenant_admin");
        }
    }

    /**
     * A change that has called Keycloak but not yet committed (here: a transaction holding the
     * profile's new role, and Keycloak already changed) must not be "repaired" backwards by the
     * reconciliation, which runs every 10 s in the test stack.
     */
    @Test
    void the_reconciliation_never_undoes_a_change_that_is_still_committing() throws Exception {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("committing"));
        java.nio.file.Path log = EmbeddedStack.stack().process("identity-service").log();
        try (Connection change = db()) {
            change.setAutoCommit(false);
            try (PreparedStatement update = change.prepareStatement("UPDATE identity.users SET role_type = 'manager', updated_at = now()"
                    + " WHERE user_id = ?")) {
                update.setObject(1, UUID.fromString(member.userId()));
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            KeycloakAdmin keycloak = new KeycloakAdmin();
            keycloak.setAttribute(member.userId(), "role_type", "manager");

            // a reconciliation pass meets the locked profile (and gives up), or repairs backwards
            org.awaitility.Awaitility.await("a reconciliation pass over the user").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> java.nio.file.Files.readString(log).contains("Reconciliation of user " + member.userId())
                            || !"manager".equals(keycloak.attribute(member.userId(), "role_type")));
            assertThat(keycloak.attribute(member.userId(), "role_type")).as("Keycloak keeps the committing change").isEqualTo("manager");
            change.commit();
        }
        assertThat(claims(member.signIn(api)).get("role_type").asString()).isEqualTo("manager");
    }

    /** Keycloak's admin API as the realm's administrator: what the service's own change did to Keycloak. */
    private static final class KeycloakAdmin {

        private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        private final String base = EmbeddedStack.stack().keycloakUrl();
        private final String token;

        KeycloakAdmin() throws Exception {
            var config = EmbeddedStack.stack().config();
            String form = "grant_type=password&client_id=admin-cli&username=" + enc(config.keycloakAdmin())
                    + "&password=" + enc(config.keycloakAdminPassword());
            var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            token = Api.JSON.readTree(reply.body()).get("access_token").asString();
        }

        String attribute(String userId, String name) throws Exception {
            JsonNode values = user(userId).path("attributes").path(name);
            return values.isArray() && !values.isEmpty() ? values.get(0).asString() : null;
        }

        void setAttribute(String userId, String name, String value) throws Exception {
            tools.jackson.databind.node.ObjectNode user = (tools.jackson.databind.node.ObjectNode) user(userId);
            ((tools.jackson.databind.node.ObjectNode) user.get("attributes")).putArray(name).add(value);
            var reply = http.send(request(userId).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(user.toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(204);
        }

        private JsonNode user(String userId) throws Exception {
            var reply = http.send(request(userId).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            return Api.JSON.readTree(reply.body());
        }

        private java.net.http.HttpRequest.Builder request(String userId) {
            return java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/admin/realms/erp/users/" + userId))
                    .header("Authorization", "Bearer " + token);
        }

        private static String enc(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    // --- links die with the address they were mailed to ---------------------------------------------

    @Test
    void an_invitation_to_a_mistyped_address_stops_working_once_the_admin_corrects_it() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        String mistyped = Members.uniqueEmail("mistyped");
        Api.Reply created = Members.create(api, admin, mistyped, "worker", true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String userId = created.json().get("user_id").asString();
        String strayToken = Mailbox.await(mistyped, 1, Duration.ofSeconds(30)).get(0).token("/set-password");

        String corrected = Members.uniqueEmail("corrected");
        Api.Reply fixed = api.patchJson("/v1/users/" + userId, admin, Map.of("email", corrected), Map.of());
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);

        // whoever reads the mistyped inbox can no longer choose the password
        Api.Reply stray = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", strayToken,
                "new_password", "Attacker-Choice-2026!"));
        assertThat(stray.status()).isEqualTo(401);
        // the user is invited again at the corrected address, and that link works
        String token = Mailbox.await(corrected, 1, Duration.ofSeconds(30)).get(0).token("/set-password");
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password",
                Members.PASSWORD)).status()).isEqualTo(200);
        assertThat(new Members.Member(userId, corrected, Members.PASSWORD, "worker").signIn(api)).isNotBlank();
    }

    @Test
    void a_users_own_email_change_waits_for_the_new_address_kills_older_links_and_tells_the_old_address() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("self-change"));
        String token = member.signIn(api);
        assertThat(api.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email())).status()).isEqualTo(202);
        String resetToken = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1).token("/reset-password");

        String newEmail = Members.uniqueEmail("self-changed");
        Api.Reply requested = api.patchJson("/v1/users/" + member.userId(), token, Map.of("email", newEmail), Map.of());
        assertThat(requested.status()).as(requested.body()).isEqualTo(200);
        // nothing changes before the new address confirms
        assertThat(profileEmail(admin, member.userId())).isEqualTo(member.email());
        Mailbox.Mail confirmation = Mailbox.await(newEmail, 1, Duration.ofSeconds(30)).get(0);
        assertThat(confirmation.subject()).isEqualTo("Confirm your new ERP Détachement address");
        String confirmToken = confirmation.token("/confirm-email");
        // a confirmation link sets no password
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", confirmToken, "new_password",
                "Not-This-Way-2026!")).status()).isEqualTo(401);

        Api.Reply confirmed = api.postJson("/v1/auth/email-change/confirm", null, Map.of("token", confirmToken));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.json().get("status").asString()).isEqualTo("email_updated");
        assertThat(profileEmail(admin, member.userId())).isEqualTo(newEmail);
        assertThat(api.postJson("/v1/auth/email-change/confirm", null, Map.of("token", confirmToken)).status()).isEqualTo(401);

        // the reset link mailed to the old address before the change is dead
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", resetToken, "new_password",
                "Attacker-Choice-2026!")).status()).isEqualTo(401);
        Mailbox.Mail notice = Mailbox.await(member.email(), 3, Duration.ofSeconds(30)).get(2);
        assertThat(notice.subject()).isEqualTo("Your ERP Détachement address was changed");
        assertThat(notice.body()).contains(newEmail);
        assertThat(new Members.Member(member.userId(), newEmail, member.password(), "worker").signIn(api)).isNotBlank();
    }

    @Test
    void a_users_own_email_change_answers_the_same_whether_the_address_is_taken_or_not() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("probe"));
        String token = member.signIn(api);

        Api.Reply taken = api.patchJson("/v1/users/" + member.userId(), token, Map.of("email", EmbeddedStack.GLOBEX_ADMIN.email()), Map.of());
        Api.Reply free = api.patchJson("/v1/users/" + member.userId(), token, Map.of("email", Members.uniqueEmail("free")), Map.of());
        assertThat(taken.status()).isEqualTo(200);
        assertThat(free.status()).isEqualTo(taken.status());
        assertThat(fieldNames(taken.json())).isEqualTo(fieldNames(free.json()));
        assertThat(taken.json().get("user_id")).isEqualTo(free.json().get("user_id"));
        assertThat(taken.json().get("updated_at")).isEqualTo(free.json().get("updated_at"));
        assertThat(profileEmail(admin, member.userId())).isEqualTo(member.email());
    }

    // --- conflicts, not server errors ------------------------------------------------------------------

    @Test
    void two_concurrent_email_changes_to_one_address_give_one_200_and_one_409() throws Exception {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 1; round <= 5; round++) {
                String first = created(Members.create(api, admin, Members.uniqueEmail("twin-1"), "manager", true, "en"));
                String second = created(Members.create(api, admin, Members.uniqueEmail("twin-2"), "manager", true, "en"));
                String target = Members.uniqueEmail("wanted");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Api.Reply>> changes = new ArrayList<>();
                for (String userId : List.of(first, second)) {
                    changes.add(threads.submit(() -> {
                        start.await();
                        return api.patchJson("/v1/users/" + userId, admin, Map.of("email", target), Map.of());
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Api.Reply> change : changes) {
                    Api.Reply reply = change.get();
                    statuses.add(reply.status());
                    if (reply.status() == 409) {
                        assertThat(reply.contentType()).startsWith("application/problem+json");
                    }
                }
                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 409);
            }
        }
    }

    @Test
    void a_worker_id_names_one_user_of_a_tenant() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        String workerId = UUID.randomUUID().toString();
        assertThat(createWithWorkerId(admin, Members.uniqueEmail("worker-id-1"), workerId).status()).isEqualTo(201);
        Api.Reply second = createWithWorkerId(admin, Members.uniqueEmail("worker-id-2"), workerId);
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.contentType()).startsWith("application/problem+json");
        // another tenant's worker ids are its own
        Api.Reply otherTenant = createWithWorkerId(EmbeddedStack.GLOBEX_ADMIN.signIn(api), Members.uniqueEmail("worker-id-globex"),
                workerId);
        assertThat(otherTenant.status()).as(otherTenant.body()).isEqualTo(201);
    }

    @Test
    void a_user_who_becomes_a_worker_gets_a_worker_id_in_the_profile_the_token_and_the_event() {
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), USERS_TOPIC)) {
            Members.Member member = Members.invite(api, admin, "manager", Members.uniqueEmail("to-worker"));
            Api.Reply changed = api.patchJson("/v1/users/" + member.userId() + "/role", admin, Map.of("role_type", "worker"), Map.of());
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);

            JsonNode profile = profile(admin, member.userId());
            assertThat(profile.get("worker_id").asString()).isEqualTo(member.userId());
            assertThat(claims(member.signIn(api)).get("worker_id").asString()).isEqualTo(member.userId());
            KafkaEvents.Event roleChanged = events.await(e -> member.userId().equals(e.key())
                    && "UserRoleChanged".equals(e.headers().get("ce_type")), 1, Duration.ofSeconds(60)).get(0);
            assertThat(KafkaEvents.violations("UserRoleChanged", roleChanged.value())).isEmpty();
            assertThat(roleChanged.json().get("worker_id").asString()).isEqualTo(member.userId());
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Connection db() throws java.sql.SQLException {
        return DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("user_id").asString();
    }

    private static Api.Reply createWithWorkerId(String admin, String email, String workerId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("role_type", "worker");
        body.put("is_active", true);
        body.put("worker_id", workerId);
        return api.postJson("/v1/users", admin, body);
    }

    private static JsonNode profile(String admin, String userId) {
        return findUser(admin, userId, () -> "no user " + userId);
    }

    private static String profileEmail(String admin, String userId) {
        return profile(admin, userId).get("email").asString();
    }

    /** The user as the admin's listing shows it (walks every page). */
    private static JsonNode findUser(String admin, String userId, Supplier<String> missing) {
        String cursor = null;
        do {
            Api.Reply page = api.get("/v1/users?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            for (JsonNode user : page.json().get("items")) {
                if (user.get("user_id").asString().equals(userId)) {
                    return user;
                }
            }
            JsonNode next = page.json().path("next_cursor");
            cursor = next.isMissingNode() || next.isNull() ? null : next.asString();
        } while (cursor != null);
        throw new AssertionError(missing.get());
    }

    private static JsonNode claims(String accessToken) {
        String payload = accessToken.split("\\.")[1];
        return Api.JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
