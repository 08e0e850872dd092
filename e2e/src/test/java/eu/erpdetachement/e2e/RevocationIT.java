package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A role change, a deactivation, a sign-out or a password reset takes effect on the next request,
 * not when the access token expires. Identity answers with the new state at once (it is the source
 * of truth); files and check-in learn it from erp.identity.user.v1, which is awaited with a
 * deadline — the time to the first answer of the new state is the revocation window, printed here.
 */
@ExtendWith(EmbeddedStack.class)
class RevocationIT {

    private static final Api api = EmbeddedStack.gateway();
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** The longest time, per service, between a change's answer and the first answer of the new state. */
    private static final Map<String, Duration> windows = new ConcurrentHashMap<>();
    private static String admin;
    /** A file of the tenant admin's, which a worker may not read. */
    private static String adminFile;
    /** An active worker the check-in service knows. */
    private static UUID knownWorker;

    @BeforeAll
    static void tenant() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        adminFile = registerFile(admin).json().get("file_id").asString();
        knownWorker = Members.workerKnownToCheckin(api, admin);
    }

    @AfterAll
    static void report() {
        System.out.println("Revocation windows observed (change answered -> first answer of the new state): " + windows);
    }

    @Test
    void a_demoted_admin_loses_its_rights_on_its_next_request_everywhere() {
        Members.Member demoted = Members.invite(api, admin, "tenant_admin", Members.uniqueEmail("demoted"));
        String token = demoted.signIn(api);
        assertThat(checkIn(token, knownWorker)).as("records for any worker while admin").isEqualTo(201);
        assertThat(api.get("/v1/files/" + adminFile, token).status()).as("reads any file while admin").isEqualTo(200);

        Api.Reply changed = api.patchJson("/v1/users/" + demoted.userId() + "/role", admin, Map.of("role_type", "worker"), Map.of());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Instant answered = Instant.now();

        // identity: at once, with the token issued before the change
        Api.Reply promoteBack = api.patchJson("/v1/users/" + demoted.userId() + "/role", token,
                Map.of("role_type", "tenant_admin"), Map.of());
        assertThat(promoteBack.status()).as(promoteBack.body()).isEqualTo(403);
        assertThat(Members.create(api, token, Members.uniqueEmail("way-back"), "tenant_admin", true, "en").status()).isEqualTo(403);

        awaitNewState("files", answered, () -> api.get("/v1/files/" + adminFile, token).status(), 403);
        awaitNewState("checkin", answered, () -> checkIn(token, knownWorker), 403);
        // now a worker, given its user id as worker id by the role change (decision 0014): listing "its own"
        // check events with the old token answers its own (empty) list, not the former 500
        Api.Reply own = api.get("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().get("items").size()).isZero();
    }

    @Test
    void a_deactivated_admin_and_a_deactivated_worker_are_refused_on_their_next_request_everywhere() {
        Members.Member deactivatedAdmin = Members.invite(api, admin, "tenant_admin", Members.uniqueEmail("gone-admin"));
        Members.Member worker = Members.invite(api, admin, "worker", Members.uniqueEmail("gone-worker"));
        String adminToken = deactivatedAdmin.signIn(api);
        String workerToken = worker.signIn(api);
        UUID workerId = UUID.fromString(api.get("/v1/me", workerToken).json().get("worker_id").asString());
        assertThat(checkIn(workerToken, workerId)).isEqualTo(201);
        assertThat(registerFile(workerToken).status()).isEqualTo(201);

        for (Members.Member member : new Members.Member[] {deactivatedAdmin, worker}) {
            Api.Reply changed = api.patchJson("/v1/users/" + member.userId() + "/status", admin, Map.of("is_active", false), Map.of());
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        }
        Instant answered = Instant.now();

        assertUnauthorized(api.get("/v1/me", workerToken));
        assertUnauthorized(Members.create(api, adminToken, Members.uniqueEmail("way-back"), "tenant_admin", true, "en"));
        assertUnauthorized(api.patchJson("/v1/users/" + deactivatedAdmin.userId() + "/role", adminToken,
                Map.of("role_type", "tenant_admin"), Map.of()));

        awaitNewState("files", answered, () -> registerFile(workerToken).status(), 401);
        awaitNewState("checkin", answered, () -> checkIn(workerToken, workerId), 401);
        awaitNewState("checkin", answered, () -> checkIn(adminToken, knownWorker), 401);
    }

    @Test
    void a_signed_out_session_is_refused_on_its_next_request_everywhere_and_another_session_keeps_working() {
        Members.Member member = Members.invite(api, admin, "manager", Members.uniqueEmail("signed-out"));
        String bearerOnly = member.signIn(api);
        Api.Reply second = api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password()));
        String withRefresh = second.json().get("access_token").asString();
        String other = member.signIn(api);
        assertThat(checkIn(bearerOnly, knownWorker)).isEqualTo(201);
        assertThat(api.get("/v1/files/" + adminFile, bearerOnly).status()).isEqualTo(200);

        // one session ends with its access token as the only proof, another with its refresh token
        assertThat(api.postJson("/v1/auth/logout", bearerOnly, Map.of()).status()).isEqualTo(200);
        Api.Reply refreshLogout = api.postJson("/v1/auth/logout", null,
                Map.of("refresh_token", second.json().get("refresh_token").asString()));
        assertThat(refreshLogout.status()).as(refreshLogout.body()).isEqualTo(200);
        Instant answered = Instant.now();

        assertUnauthorized(api.get("/v1/me", bearerOnly));
        assertUnauthorized(api.get("/v1/me", withRefresh));
        awaitNewState("files", answered, () -> api.get("/v1/files/" + adminFile, bearerOnly).status(), 401);
        awaitNewState("checkin", answered, () -> checkIn(bearerOnly, knownWorker), 401);
        awaitNewState("checkin", answered, () -> checkIn(withRefresh, knownWorker), 401);
        // the session that was not signed out is untouched
        assertThat(api.get("/v1/me", other).status()).isEqualTo(200);
        assertThat(checkIn(other, knownWorker)).isEqualTo(201);
        assertThat(api.get("/v1/files/" + adminFile, other).status()).isEqualTo(200);

        // what the other services learnt it from: one UserSessionsEnded per sign-out, each naming its session
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), "erp.identity.user.v1")) {
            var ended = events.await(e -> member.userId().equals(e.key())
                    && "UserSessionsEnded".equals(e.headers().get("ce_type")), 2, Duration.ofSeconds(60));
            for (KafkaEvents.Event event : ended) {
                assertThat(KafkaEvents.violations("UserSessionsEnded", event.value())).isEmpty();
                assertThat(event.json().get("reason").asString()).isEqualTo("logout");
                assertThat(event.json().get("session_ids")).hasSize(1);
                assertThat(event.json().get("sessions_valid_after").isNull()).isTrue();
            }
        }
    }

    @Test
    void a_password_reset_ends_every_earlier_session_everywhere_and_a_new_sign_in_works_at_once() {
        Members.Member member = Members.invite(api, admin, "manager", Members.uniqueEmail("reset"));
        String before = member.signIn(api);
        assertThat(checkIn(before, knownWorker)).isEqualTo(201);

        assertThat(api.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email())).status()).isEqualTo(202);
        String link = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1).token("/reset-password");
        Api.Reply confirmed = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", link, "new_password", "Reset-Worker-2026!"));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        Instant answered = Instant.now();
        String after = new Members.Member(member.userId(), member.email(), "Reset-Worker-2026!", "manager").signIn(api);

        assertUnauthorized(api.get("/v1/me", before));
        assertThat(api.get("/v1/me", after).status()).isEqualTo(200);
        awaitNewState("checkin", answered, () -> checkIn(before, knownWorker), 401);
        awaitNewState("files", answered, () -> api.get("/v1/files/" + adminFile, before).status(), 401);
        assertThat(checkIn(after, knownWorker)).isEqualTo(201);
        assertThat(api.get("/v1/files/" + adminFile, after).status()).isEqualTo(200);
    }

    /** Polls until the service answers {@code expected}; records how long that took after the change's answer. */
    private static void awaitNewState(String service, Instant answered, IntSupplier call, int expected) {
        Awaitility.await(service + " to answer " + expected).atMost(DEADLINE).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> call.getAsInt() == expected);
        Duration window = Duration.between(answered, Instant.now());
        windows.merge(service, window, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private static void assertUnauthorized(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    private static int checkIn(String token, UUID worker) {
        return api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of())).status();
    }

    private static Api.Reply registerFile(String token) {
        return api.postJson("/v1/files", token, FilesIT.registration("revocation/" + UUID.randomUUID() + ".pdf", "r.pdf",
                "application/pdf", 1024, "a".repeat(64)));
    }
}
