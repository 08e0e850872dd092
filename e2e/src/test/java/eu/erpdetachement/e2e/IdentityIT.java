package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions, invitations, password resets, team management and tenant settings through the gateway,
 * on the real Keycloak and SMTP server, with the events they announce on Kafka.
 */
@ExtendWith(EmbeddedStack.class)
class IdentityIT {

    private static final String USERS_TOPIC = "erp.identity.user.v1";
    private static final String SETTINGS_TOPIC = "erp.identity.tenant-settings.v1";

    private static final Api api = EmbeddedStack.gateway();
    private static String admin;

    @BeforeAll
    static void signIn() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
    }

    // --- sessions -----------------------------------------------------------------------------------

    @Test
    void refresh_tokens_rotate_are_single_use_and_logout_ends_the_session() {
        Api.Reply login = api.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials());
        assertThat(login.status()).isEqualTo(200);
        String first = login.json().get("refresh_token").asString();

        Api.Reply refreshed = api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", first));
        assertThat(refreshed.status()).isEqualTo(200);
        String second = refreshed.json().get("refresh_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/v1/me", refreshed.json().get("access_token").asString()).status()).isEqualTo(200);

        // the used one is spent; the rotated one still works until logout
        Api.Reply reused = api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", first));
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.contentType()).startsWith("application/problem+json");

        Api.Reply logout = api.postJson("/v1/auth/logout", null, Map.of("refresh_token", second));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json().get("success").asBoolean()).isTrue();
        assertThat(api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", second)).status()).isEqualTo(401);
    }

    @Test
    void logout_with_only_the_bearer_access_token_ends_that_session() {
        Api.Reply login = api.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials());
        String access = login.json().get("access_token").asString();
        String refresh = login.json().get("refresh_token").asString();

        Api.Reply logout = api.postJson("/v1/auth/logout", access, Map.of());
        assertThat(logout.status()).isEqualTo(200);
        assertThat(api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", refresh)).status()).isEqualTo(401);
        // with neither a refresh token nor a bearer token there is nothing to end
        assertThat(api.postJson("/v1/auth/logout", null, Map.of()).status()).isEqualTo(422);
    }

    @Test
    void wrong_password_unknown_email_and_disabled_account_get_the_same_401() {
        String disabledEmail = Members.uniqueEmail("disabled");
        Api.Reply created = Members.create(api, admin, disabledEmail, "worker", false, "en");
        assertThat(created.status()).isEqualTo(201);
        String token = Mailbox.await(disabledEmail, 1, Duration.ofSeconds(30)).get(0).token("/set-password");
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password",
                Members.PASSWORD)).status()).isEqualTo(200);

        // never the shared admin: a failure would arm Keycloak's quick-login lockout for everyone's next sign-in
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("wrong-password"));
        Api.Reply wrongPassword = api.postJson("/v1/auth/login", null, Map.of("email", member.email(),
                "password", "Not-The-Password-1!"));
        Api.Reply unknown = api.postJson("/v1/auth/login", null, Map.of("email", Members.uniqueEmail("nobody"),
                "password", Members.PASSWORD));
        Api.Reply disabled = api.postJson("/v1/auth/login", null, Map.of("email", disabledEmail, "password", Members.PASSWORD));

        for (Api.Reply reply : List.of(wrongPassword, unknown, disabled)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(withoutInstance(reply)).isEqualTo(withoutInstance(wrongPassword));
        }
    }

    @Test
    void one_account_signs_in_from_several_devices_at_once() throws Exception {
        Members.Member kiosk = Members.invite(api, admin, "manager", Members.uniqueEmail("kiosk"));
        try (var devices = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            List<java.util.concurrent.Future<Integer>> signIns = new ArrayList<>();
            for (int device = 0; device < 6; device++) {
                signIns.add(devices.submit(() -> api.postJson("/v1/auth/login", null,
                        Map.of("email", kiosk.email(), "password", kiosk.password())).status()));
            }
            for (var signIn : signIns) {
                assertThat(signIn.get()).isEqualTo(200);
            }
        }
    }

    @Test
    void a_brute_force_lockout_answers_the_same_401_even_for_the_right_password() {
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("locked"));
        // Keycloak's lockout is the last line behind the gateway's throttle (AbuseLimitsIT): seen at the service
        Api identity = new Api(EmbeddedStack.stack().serviceUrl("identity-service"));
        Api.Reply firstFailure = identity.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", "Wrong-Guess-0!"));
        for (int attempt = 1; attempt < 6; attempt++) { // the realm locks after 5 failures
            identity.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", "Wrong-Guess-" + attempt + "!"));
        }
        Api.Reply locked = identity.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()));
        assertThat(locked.status()).isEqualTo(401);
        assertThat(withoutInstance(locked)).isEqualTo(withoutInstance(firstFailure));
    }

    // --- invitations and password resets ------------------------------------------------------------

    @Test
    void an_invited_user_sets_a_password_from_the_email_in_their_language_and_signs_in() {
        String email = Members.uniqueEmail("invited");
        Api.Reply created = Members.create(api, admin, email, "manager", true, "fr");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/users/" + created.json().get("user_id").asString());

        Mailbox.Mail invitation = Mailbox.await(email, 1, Duration.ofSeconds(30)).get(0);
        assertThat(invitation.subject()).isEqualTo("Votre compte ERP Détachement");
        // the link is built from the configured public base URL (the gateway), not from a request's Host
        assertThat(invitation.body()).contains(EmbeddedStack.stack().gatewayUrl().replace("127.0.0.1", "localhost")
                + "/set-password?token=");
        String token = invitation.token("/set-password");

        Api.Reply weak = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password", "short"));
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.body()).contains("new_password");
        // a refused password leaves the link usable
        Api.Reply set = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password", Members.PASSWORD));
        assertThat(set.status()).isEqualTo(200);
        Api.Reply reused = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password",
                "Another-Password-2026!"));
        assertThat(reused.status()).isEqualTo(401);

        String token2 = new Members.Member(created.json().get("user_id").asString(), email, Members.PASSWORD, "manager").signIn(api);
        JsonNode me = api.get("/v1/me", token2).json();
        assertThat(me.get("email").asString()).isEqualTo(email);
        assertThat(me.get("role_type").asString()).isEqualTo("manager");
        assertThat(me.get("tenant_id").asString()).isEqualTo(EmbeddedStack.ACME_ADMIN.tenantId());
    }

    @Test
    void a_password_reset_by_email_sets_the_password_and_ends_every_session() {
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("reset"));
        Api.Reply session = api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()));
        String refreshToken = session.json().get("refresh_token").asString();

        Api.Reply known = api.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email()));
        Api.Reply unknown = api.postJson("/v1/auth/password-reset/request", null, Map.of("email", Members.uniqueEmail("ghost")));
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.status()).isEqualTo(known.status());
        assertThat(unknown.body()).isEqualTo(known.body());

        Mailbox.Mail reset = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1);
        assertThat(reset.subject()).isEqualTo("Reset your ERP Détachement password");
        String token = reset.token("/reset-password");
        String newPassword = "New-Secret-2026-xyz!";
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password", newPassword))
                .status()).isEqualTo(200);

        assertThat(api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", refreshToken)).status()).isEqualTo(401);
        assertThat(api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", newPassword))
                .status()).isEqualTo(200);
        // last: a failed attempt followed at once by another is Keycloak's quick-login lockout (60 s)
        assertThat(api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()))
                .status()).isEqualTo(401);
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password",
                "Yet-Another-2026-abc!")).status()).isEqualTo(401);
    }

    @Test
    void an_expired_reset_link_is_refused() throws Exception {
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("expired"));
        assertThat(api.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email())).status()).isEqualTo(202);
        String token = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1).token("/reset-password");

        // 31 minutes pass for this user's reset token (it lives 30)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                java.sql.PreparedStatement age = c.prepareStatement("UPDATE identity.password_tokens SET expires_at = now() - interval '1 minute'"
                        + " WHERE user_id = ? AND purpose = 'reset'")) {
            age.setObject(1, java.util.UUID.fromString(member.userId()));
            assertThat(age.executeUpdate()).isEqualTo(1);
        }
        assertThat(api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password",
                "Too-Late-2026-abc!")).status()).isEqualTo(401);
        assertThat(member.signIn(api)).isNotBlank(); // the old password still stands
    }

    // --- users --------------------------------------------------------------------------------------

    @Test
    void users_are_listed_in_pages_with_filters_and_a_duplicate_email_is_409() {
        String prefix = "page-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            assertThat(Members.create(api, admin, prefix + "-" + i + "@acme.test", i == 2 ? "manager" : "worker", i != 1, "en")
                    .status()).isEqualTo(201);
        }
        assertThat(Members.create(api, admin, prefix + "-0@acme.test", "worker", true, "en").status()).isEqualTo(409);

        Api.Reply first = api.get("/v1/users?email_prefix=" + prefix + "&limit=2", admin);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("items")).hasSize(2);
        String cursor = first.json().get("next_cursor").asString();
        Api.Reply second = api.get("/v1/users?email_prefix=" + prefix + "&limit=2&cursor=" + cursor, admin);
        assertThat(second.json().get("items")).hasSize(1);
        assertThat(second.json().path("next_cursor").isNull() || second.json().path("next_cursor").isMissingNode()).isTrue();
        List<String> all = new ArrayList<>();
        first.json().get("items").forEach(u -> all.add(u.get("email").asString()));
        second.json().get("items").forEach(u -> all.add(u.get("email").asString()));
        assertThat(all).containsExactlyInAnyOrder(prefix + "-0@acme.test", prefix + "-1@acme.test", prefix + "-2@acme.test");

        assertThat(emails(api.get("/v1/users?email_prefix=" + prefix + "&role_type=manager", admin)))
                .containsExactly(prefix + "-2@acme.test");
        assertThat(emails(api.get("/v1/users?email_prefix=" + prefix + "&is_active=false", admin)))
                .containsExactly(prefix + "-1@acme.test");
        assertThat(api.get("/v1/users?limit=201", admin).status()).isEqualTo(422);
        // another tenant sees none of them
        assertThat(emails(api.get("/v1/users?email_prefix=" + prefix, EmbeddedStack.GLOBEX_ADMIN.signIn(api)))).isEmpty();
    }

    @Test
    void a_user_updates_email_and_language_and_the_email_stays_unique() {
        Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("update"));
        String token = member.signIn(api);
        String newEmail = Members.uniqueEmail("updated");

        // their own new address counts once the link mailed to it is used (decision 0014)
        Api.Reply updated = api.patchJson("/v1/users/" + member.userId(), token, Map.of("email", newEmail, "language", "de"), Map.of());
        assertThat(updated.status()).isEqualTo(200);
        String confirmation = Mailbox.await(newEmail, 1, Duration.ofSeconds(30)).get(0).token("/confirm-email");
        assertThat(api.postJson("/v1/auth/email-change/confirm", null, Map.of("token", confirmation)).status()).isEqualTo(200);
        assertThat(api.postJson("/v1/auth/login", null, Map.of("email", newEmail, "password", member.password())).status())
                .isEqualTo(200);

        // an admin changing someone else's email to a taken one learns it; the user does not
        assertThat(api.patchJson("/v1/users/" + member.userId(), admin, Map.of("email", EmbeddedStack.ACME_ADMIN.email()), Map.of())
                .status()).isEqualTo(409);
        assertThat(api.patchJson("/v1/users/" + member.userId(), token, Map.of("email", EmbeddedStack.ACME_ADMIN.email()), Map.of())
                .status()).isEqualTo(200);
        assertThat(api.patchJson("/v1/users/" + member.userId(), token, Map.of("language", "xx"), Map.of()).status())
                .isEqualTo(422);
    }

    @Test
    void deactivation_ends_sign_in_and_refresh_and_nobody_deactivates_themselves() {
        Members.Member member = Members.invite(api, admin, "manager", Members.uniqueEmail("deactivate"));
        String refreshToken = api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()))
                .json().get("refresh_token").asString();

        Api.Reply deactivated = api.patchJson("/v1/users/" + member.userId() + "/status", admin, Map.of("is_active", false), Map.of());
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.json().get("is_active").asBoolean()).isFalse();
        assertThat(api.postJson("/v1/auth/refresh", null, Map.of("refresh_token", refreshToken)).status()).isEqualTo(401);
        assertThat(api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()))
                .status()).isEqualTo(401);

        assertThat(api.patchJson("/v1/users/" + member.userId() + "/status", admin, Map.of("is_active", true), Map.of())
                .status()).isEqualTo(200);
        assertThat(member.signIn(api)).isNotBlank();

        String adminId = api.get("/v1/me", admin).json().get("user_id").asString();
        assertThat(api.patchJson("/v1/users/" + adminId + "/status", admin, Map.of("is_active", false), Map.of()).status())
                .isEqualTo(409);
    }

    @Test
    void the_last_active_tenant_admin_can_be_neither_demoted_nor_deactivated() {
        // Globex has exactly one admin, and no test adds another
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        String adminId = api.get("/v1/me", globex).json().get("user_id").asString();

        Api.Reply demoted = api.patchJson("/v1/users/" + adminId + "/role", globex, Map.of("role_type", "manager"), Map.of());
        assertThat(demoted.status()).isEqualTo(409);
        assertThat(api.get("/v1/me", EmbeddedStack.GLOBEX_ADMIN.signIn(api)).json().get("role_type").asString())
                .isEqualTo("tenant_admin");
    }

    @Test
    void user_created_and_role_changed_are_published_with_valid_payloads() {
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), USERS_TOPIC)) {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("events"));
            Api.Reply changed = api.patchJson("/v1/users/" + member.userId() + "/role", admin, Map.of("role_type", "manager"), Map.of());
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.json().get("role_type").asString()).isEqualTo("manager");
            // the new role is in the next token
            assertThat(api.get("/v1/me", member.signIn(api)).json().get("role_type").asString()).isEqualTo("manager");

            List<KafkaEvents.Event> published = events.await(e -> member.userId().equals(e.key()), 2, Duration.ofSeconds(60));
            KafkaEvents.Event created = published.get(0);
            KafkaEvents.Event roleChanged = published.get(1);
            assertThat(created.headers()).containsEntry("ce_type", "UserCreated");
            assertThat(KafkaEvents.violations("UserCreated", created.value())).isEmpty();
            assertThat(created.json().get("email").asString()).isEqualTo(member.email());
            assertThat(roleChanged.headers()).containsEntry("ce_type", "UserRoleChanged");
            assertThat(KafkaEvents.violations("UserRoleChanged", roleChanged.value())).isEmpty();
            assertThat(roleChanged.json().get("old_role_type").asString()).isEqualTo("worker");
            assertThat(roleChanged.json().get("new_role_type").asString()).isEqualTo("manager");
            // the whole access after the change, so a consumer keeps it from any single event (decision 0013)
            assertThat(roleChanged.json().get("is_active").asBoolean()).isTrue();
            assertThat(roleChanged.json().get("worker_id").asString()).isEqualTo(member.userId());
            assertThat(roleChanged.json().get("changed_by").asString()).isEqualTo(api.get("/v1/me", admin).json().get("user_id").asString());
        }
    }

    // --- tenant settings ----------------------------------------------------------------------------

    @Test
    void tenant_settings_are_merge_patched_under_if_match_and_announced_with_the_changed_keys() {
        Api.Reply current = api.get("/v1/tenant-settings", admin);
        assertThat(current.status()).isEqualTo(200);
        String etag = current.header("ETag");
        assertThat(etag).isNotBlank();
        int window = current.json().get("settings").path("checkin_backdating_window_hours").asInt(72) == 48 ? 96 : 48;

        ObjectNode patch = Api.JSON.createObjectNode();
        patch.putObject("settings").put("checkin_backdating_window_hours", window);
        assertThat(api.patchJson("/v1/tenant-settings", admin, patch, Map.of()).status()).isEqualTo(428);
        assertThat(api.patchJson("/v1/tenant-settings", admin, patch, Map.of("If-Match", "\"stale\"")).status()).isEqualTo(412);
        ObjectNode unknown = Api.JSON.createObjectNode();
        unknown.putObject("settings").put("no_such_key", 1);
        assertThat(api.patchJson("/v1/tenant-settings", admin, unknown, Map.of("If-Match", etag)).status()).isEqualTo(422);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), SETTINGS_TOPIC)) {
            Api.Reply patched = api.patchJson("/v1/tenant-settings", admin, patch, Map.of("If-Match", etag));
            assertThat(patched.status()).isEqualTo(200);
            assertThat(patched.header("ETag")).isNotEqualTo(etag);
            assertThat(patched.json().get("settings").get("checkin_backdating_window_hours").asInt()).isEqualTo(window);
            // the old ETag is stale now
            assertThat(api.patchJson("/v1/tenant-settings", admin, patch, Map.of("If-Match", etag)).status()).isEqualTo(412);

            // the relay's events only: the topic may hold records of ConsumerDeadLetterIT that are not JSON
            KafkaEvents.Event event = events.await(e -> EmbeddedStack.ACME_ADMIN.tenantId().equals(e.key())
                    && e.headers().containsKey("ce_type")
                    && e.json().get("settings").path("checkin_backdating_window_hours").asInt() == window, 1, Duration.ofSeconds(60)).get(0);
            assertThat(event.headers()).containsEntry("ce_type", "TenantSettingsUpdated");
            assertThat(KafkaEvents.violations("TenantSettingsUpdated", event.value())).isEmpty();
            assertThat(event.json().get("changed_keys")).extracting(JsonNode::asString).containsExactly("checkin_backdating_window_hours");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static List<String> emails(Api.Reply list) {
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> emails = new ArrayList<>();
        list.json().get("items").forEach(u -> emails.add(u.get("email").asString()));
        return emails;
    }

    /** A problem without the fields that differ per request. */
    private static JsonNode withoutInstance(Api.Reply problem) {
        ObjectNode copy = (ObjectNode) problem.json().deepCopy();
        copy.remove("instance");
        copy.remove("request_id");
        copy.remove("trace_id");
        return copy;
    }
}
