package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The audit trail through the gateway (decision 0025): every state-changing route of
 * contracts/rbac.yaml leaves its record, with its actor, target, changes, client address and request
 * id; the trail is readable as the matrix says, by its own tenant only, and its chain verifies.
 */
@ExtendWith(EmbeddedStack.class)
class AuditTrailIT {

    /** Write routes that change no state worth a record, and why. */
    private static final Map<String, String> NOT_AUDITED = Map.of(
            "refreshToken", "rotates the session's tokens; the session itself (sign-in, sign-out) is what is audited");

    private static final Api api = EmbeddedStack.gateway();
    private static final HttpClient S3 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String admin;
    private static String adminId;
    private static Members.Member compliance;
    private static Members.Member manager;
    private static Members.Member worker;

    /** What a write route's call must leave in the trail. */
    private record Expected(String action, String targetType, String targetId, String actorId, String requestId) {
    }

    @BeforeAll
    static void team() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        adminId = api.get("/v1/me", admin).json().get("user_id").asString();
        compliance = Members.invite(api, admin, "compliance_officer", Members.uniqueEmail("audit-compliance"));
        manager = Members.invite(api, admin, "manager", Members.uniqueEmail("audit-manager"));
        worker = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-worker"));
    }

    @TestFactory
    List<DynamicTest> every_state_changing_route_leaves_its_record() throws Exception {
        Map<String, Supplier<Expected>> scenarios = scenarios();
        List<String> writeRoutes = new ArrayList<>();
        for (JsonNode route : matrix().get("routes")) {
            if (!route.get("method").asString().equals("GET")) {
                writeRoutes.add(route.get("operation").asString());
            }
        }
        List<String> uncovered = writeRoutes.stream()
                .filter(op -> !scenarios.containsKey(op) && !NOT_AUDITED.containsKey(op)).toList();
        assertThat(uncovered).as("write routes of rbac.yaml with no audit scenario here").isEmpty();

        List<DynamicTest> tests = new ArrayList<>();
        for (String operation : writeRoutes) {
            if (NOT_AUDITED.containsKey(operation)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(operation, () -> {
                Expected expected = scenarios.get(operation).get();
                JsonNode record = awaitRecord(expected.action(), expected.targetId());
                assertThat(record.get("target_type").asString()).isEqualTo(expected.targetType());
                assertThat(record.get("actor_id").isNull() ? null : record.get("actor_id").asString()).isEqualTo(expected.actorId());
                assertThat(record.get("client_ip").asString()).as("the gateway's view of the client").isEqualTo("127.0.0.1");
                if (expected.requestId() != null) {
                    assertThat(record.get("request_id").asString()).isEqualTo(expected.requestId());
                }
                assertThat(record.toString()).as("no secret in the trail").doesNotContain(Members.PASSWORD)
                        .doesNotContain("Demo-Admin-2026!");
            }));
        }
        return tests;
    }

    /** One call per audited write route, as its user makes it; each answers what it must leave in the trail. */
    private static Map<String, Supplier<Expected>> scenarios() {
        Map<String, Supplier<Expected>> s = new LinkedHashMap<>();
        s.put("login", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-login"));
            Api.Reply refused = api.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", "Wrong-Password-1!"));
            assertThat(refused.status()).isEqualTo(401);
            return new Expected("auth.sign_in_failed", "user", member.userId(), null, refused.header("X-Request-Id"));
        });
        s.put("logout", () -> {
            Api.Reply session = api.postJson("/v1/auth/login", null, Map.of("email", worker.email(), "password", worker.password()));
            Api.Reply out = api.postJson("/v1/auth/logout", null, Map.of("refresh_token", session.json().get("refresh_token").asString()));
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            return new Expected("auth.signed_out", "user", worker.userId(), worker.userId(), out.header("X-Request-Id"));
        });
        s.put("requestPasswordReset", () -> {
            Api.Reply accepted = api.postJson("/v1/auth/password-reset/request", null, Map.of("email", manager.email()));
            assertThat(accepted.status()).isEqualTo(202);
            return new Expected("auth.password_reset_requested", "user", manager.userId(), null, accepted.header("X-Request-Id"));
        });
        s.put("confirmPasswordReset", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-reset"));
            api.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email()));
            String token = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1).token("/reset-password");
            Api.Reply reset = api.postJson("/v1/auth/password-reset/confirm", null, Map.of("token", token, "new_password", "Reset-Worker-2026!"));
            assertThat(reset.status()).as(reset.body()).isEqualTo(200);
            return new Expected("auth.password_reset", "user", member.userId(), member.userId(), reset.header("X-Request-Id"));
        });
        s.put("confirmEmailChange", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-email"));
            String newEmail = Members.uniqueEmail("audit-email-new");
            assertThat(api.patchJson("/v1/users/" + member.userId(), member.signIn(api), Map.of("email", newEmail), Map.of()).status())
                    .isEqualTo(200);
            String token = Mailbox.await(newEmail, 1, Duration.ofSeconds(30)).get(0).token("/confirm-email");
            Api.Reply confirmed = api.postJson("/v1/auth/email-change/confirm", null, Map.of("token", token));
            assertThat(confirmed.status()).isEqualTo(200);
            return new Expected("user.email_changed", "user", member.userId(), member.userId(), confirmed.header("X-Request-Id"));
        });
        s.put("createUser", () -> {
            Api.Reply created = Members.create(api, admin, Members.uniqueEmail("audit-created"), "worker", true, "en");
            assertThat(created.status()).isEqualTo(201);
            return new Expected("user.invited", "user", created.json().get("user_id").asString(), adminId, created.header("X-Request-Id"));
        });
        s.put("updateUser", () -> {
            Api.Reply updated = api.patchJson("/v1/users/" + worker.userId(), admin, Map.of("language", "de"), Map.of());
            assertThat(updated.status()).isEqualTo(200);
            return new Expected("user.updated", "user", worker.userId(), adminId, updated.header("X-Request-Id"));
        });
        s.put("patchUserStatus", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-status"));
            Api.Reply changed = api.patchJson("/v1/users/" + member.userId() + "/status", admin, Map.of("is_active", false), Map.of());
            assertThat(changed.status()).isEqualTo(200);
            return new Expected("user.status_changed", "user", member.userId(), adminId, changed.header("X-Request-Id"));
        });
        s.put("patchUserRole", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-role"));
            Api.Reply changed = api.patchJson("/v1/users/" + member.userId() + "/role", admin, Map.of("role_type", "manager"), Map.of());
            assertThat(changed.status()).isEqualTo(200);
            return new Expected("user.role_changed", "user", member.userId(), adminId, changed.header("X-Request-Id"));
        });
        s.put("patchTenantSettings", () -> {
            Api.Reply current = api.get("/v1/tenant-settings", admin);
            long window = current.json().get("settings").get("checkin_backdating_window_hours").asLong();
            ObjectNode patch = Api.JSON.createObjectNode();
            patch.putObject("settings").put("checkin_backdating_window_hours", window == 72 ? 71 : 72);
            Api.Reply changed = api.patchJson("/v1/tenant-settings", admin, patch, Map.of("If-Match", current.header("ETag")));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            return new Expected("tenant_settings.updated", "tenant_settings", EmbeddedStack.ACME_ADMIN.tenantId(), adminId,
                    changed.header("X-Request-Id"));
        });
        AtomicReference<JsonNode> uploadedFile = new AtomicReference<>();
        s.put("createFile", () -> {
            Api.Reply registered = registerFile();
            return new Expected("file.registered", "file", registered.json().get("file_id").asString(), adminId,
                    registered.header("X-Request-Id"));
        });
        s.put("completeFileUpload", () -> {
            JsonNode file = registerFile().json();
            putBytes(file.get("upload"));
            Api.Reply completed = api.postJson("/v1/files/" + file.get("file_id").asString() + ":complete", admin, Map.of());
            assertThat(completed.status()).as(completed.body()).isEqualTo(200);
            uploadedFile.set(file);
            return new Expected("file.uploaded", "file", file.get("file_id").asString(), adminId, completed.header("X-Request-Id"));
        });
        s.put("linkFile", () -> {
            JsonNode file = uploadedFile.get();
            assertThat(file).as("completeFileUpload runs first (the matrix's order)").isNotNull();
            Api.Reply linked = api.postJson("/v1/files/" + file.get("file_id").asString() + ":link", admin,
                    Map.of("entity_type", "worker", "entity_id", worker.userId(), "purpose", "a1_certificate"));
            assertThat(linked.status()).as(linked.body()).isBetween(200, 201);
            return new Expected("file.linked", "file", file.get("file_id").asString(), adminId, linked.header("X-Request-Id"));
        });
        s.put("createWorkerCheckEvent", () -> {
            UUID known = Members.workerKnownToCheckin(api, admin);
            Api.Reply out = api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", admin,
                    Map.of("worker_id", known.toString(), "event_type", "check_in",
                            "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of()));
            assertThat(out.status()).as(out.body()).isEqualTo(201);
            return new Expected("check_event.recorded", "check_event", out.json().get("check_event_id").asString(), adminId,
                    out.header("X-Request-Id"));
        });
        s.put("correctWorkerCheckEvent", () -> {
            UUID known = Members.workerKnownToCheckin(api, admin);
            String mission = "/v1/missions/" + UUID.randomUUID() + "/worker-check-events";
            Api.Reply in = api.postJson(mission, admin, Map.of("worker_id", known.toString(), "event_type", "check_in",
                    "occurred_at", Instant.now().minusSeconds(3600).toString(), "source", "web", "metadata", Map.of()));
            String checkIn = in.json().get("check_event_id").asString();
            Api.Reply corrected = api.postJson(mission + "/" + checkIn + ":correct", admin, Map.of("kind", "supply_check_out",
                    "occurred_at", Instant.now().minusSeconds(600).toString(), "reason", "Forgot to check out (site log)"));
            assertThat(corrected.status()).as(corrected.body()).isEqualTo(201);
            return new Expected("check_event.corrected", "check_event", checkIn, adminId, corrected.header("X-Request-Id"));
        });
        s.put("eraseUser", () -> {
            Members.Member member = Members.invite(api, admin, "worker", Members.uniqueEmail("audit-erased"));
            Api.Reply erased = api.post("/v1/users/" + member.userId() + ":erase", admin, null, "", Map.of());
            assertThat(erased.status()).as(erased.body()).isEqualTo(200);
            JsonNode invited = awaitRecord("user.invited", member.userId(), r -> r.get("redacted").asBoolean());
            assertThat(invited.toString()).as("the invitation's record, pseudonymised").doesNotContain(member.email());
            return new Expected("user.erased", "user", member.userId(), adminId, erased.header("X-Request-Id"));
        });
        return s;
    }

    @Test
    void a_client_cannot_choose_the_address_the_trail_records() {
        Api.Reply updated = api.patchJson("/v1/users/" + worker.userId(), admin, Map.of("language", "it"),
                Map.of("X-Client-Address", "198.51.100.66", "X-Forwarded-For", "198.51.100.67"));
        assertThat(updated.status()).isEqualTo(200);

        JsonNode record = awaitRecord("user.updated", worker.userId(), r -> r.get("request_id").asString()
                .equals(updated.header("X-Request-Id")));
        assertThat(record.get("client_ip").asString()).isEqualTo("127.0.0.1");
        assertThat(record.get("changes").get("language").get("after").asString()).isEqualTo("it");
    }

    @Test
    void the_trail_is_read_as_the_matrix_says_and_never_across_tenants() throws Exception {
        Map<String, String> tokens = Map.of("tenant_admin", admin, "manager", manager.signIn(api),
                "compliance_officer", compliance.signIn(api), "worker", worker.signIn(api));
        for (JsonNode route : matrix().get("routes")) {
            String operation = route.get("operation").asString();
            if (!Set.of("listAuditEvents", "verifyAuditTrail").contains(operation)) {
                continue;
            }
            String path = route.get("path").asString();
            assertThat(api.get(path, null).status()).as(operation + " anonymous").isEqualTo(401);
            for (var cell : route.get("access").properties()) {
                int status = statusOf(operation + " as " + cell.getKey(), () -> api.get(path, tokens.get(cell.getKey())));
                switch (cell.getValue().asString()) {
                    case "allow" -> assertThat(status).as(operation + " as " + cell.getKey()).isEqualTo(200);
                    case "deny" -> assertThat(status).as(operation + " as " + cell.getKey()).isEqualTo(403);
                    default -> throw new AssertionError("No audit route has access " + cell.getValue());
                }
            }
        }
        // another tenant's admin sees none of acme's records, even by their target's id
        awaitRecord("user.invited", worker.userId());
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        assertThat(api.get("/v1/audit-events?target_id=" + worker.userId(), globex).json().get("items")).isEmpty();
        assertThat(api.get("/v1/audit-events?actor_id=" + adminId, globex).json().get("items")).isEmpty();
    }

    @Test
    void bad_queries_are_problems_and_pages_follow_one_another() {
        for (String query : List.of("target_type=bogus", "action=Robert'); DROP TABLE", "from=yesterday", "to=2026-13-01T00:00:00Z",
                "limit=0", "limit=201", "cursor=not-a-cursor", "actor_id=not-a-uuid", "target_id=" + "x".repeat(201))) {
            Api.Reply reply = api.get("/v1/audit-events?" + query.replace(" ", "%20").replace("'", "%27").replace(";", "%3B"), admin);
            assertThat(reply.status()).as(query).isBetween(400, 422);
            assertThat(reply.contentType()).as(query).startsWith("application/problem+json");
        }
        awaitRecord("user.invited", worker.userId());
        JsonNode first = api.get("/v1/audit-events?limit=2", admin).json();
        assertThat(first.get("items")).hasSize(2);
        String cursor = first.get("next_cursor").asString();
        JsonNode second = api.get("/v1/audit-events?limit=2&cursor=" + cursor, admin).json();
        long lastOfFirst = first.get("items").get(1).get("sequence_no").asLong();
        assertThat(second.get("items").get(0).get("sequence_no").asLong()).isLessThan(lastOfFirst);
    }

    @Test
    void the_tenants_chain_verifies() {
        awaitRecord("user.invited", worker.userId());
        JsonNode verification = api.get("/v1/audit-events:verify", compliance.signIn(api)).json();
        assertThat(verification.get("valid").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("checked").asInt()).isPositive();
    }

    private static int statusOf(String call, Supplier<Api.Reply> send) {
        try {
            return send.get().status();
        } catch (IllegalStateException e) {
            throw new AssertionError(call + " got no answer", e);
        }
    }

    private static JsonNode awaitRecord(String action, String targetId) {
        return awaitRecord(action, targetId, record -> true);
    }

    private static JsonNode awaitRecord(String action, String targetId, java.util.function.Predicate<JsonNode> which) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Awaitility.await(action + " on " + targetId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Api.Reply page = api.get("/v1/audit-events?action=" + action + "&target_id=" + targetId, admin);
                    assertThat(page.status()).as(page.body()).isEqualTo(200);
                    for (JsonNode item : page.json().get("items")) {
                        if (which.test(item)) {
                            found.set(item);
                            return true;
                        }
                    }
                    return false;
                });
        return found.get();
    }

    private static Api.Reply registerFile() {
        byte[] content = ("audit " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Api.Reply reply = api.postJson("/v1/files", admin, FilesIT.registration("e2e/audit/" + UUID.randomUUID() + "/a1.pdf",
                "a1.pdf", "application/pdf", content.length, FilesIT.Content.sha256(content)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        lastContent.set(content);
        return reply;
    }

    private static final AtomicReference<byte[]> lastContent = new AtomicReference<>();

    private static void putBytes(JsonNode upload) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(lastContent.get()));
        upload.get("headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asString()));
        try {
            assertThat(S3.send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode matrix() throws Exception {
        try (InputStream in = AuditTrailIT.class.getClassLoader().getResourceAsStream("contracts/rbac.yaml")) {
            return new YAMLMapper().readTree(in);
        }
    }
}
