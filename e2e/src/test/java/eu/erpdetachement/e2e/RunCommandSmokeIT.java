package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a newcomer's first session does, in one pass: each of the contract's seed routes called once
 * through the gateway, and every event type of contracts/events read back from Kafka, valid against
 * its schema. {@code .ci/smoke.sh} runs it against the stack that the README's run command started
 * ({@code -De2e.stack=running}); in the suite it runs on the embedded stack like every other test.
 */
@ExtendWith(EmbeddedStack.class)
class RunCommandSmokeIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(90);

    private final Api api = EmbeddedStack.gateway();
    private final Set<String> called = new TreeSet<>();

    @Test
    void every_seed_route_answers_and_every_event_type_reaches_kafka() throws Exception {
        Path repository = EmbeddedStack.stack().config().repository();
        String kafka = EmbeddedStack.stack().kafkaBootstrap();
        String acmeId = EmbeddedStack.ACME_ADMIN.tenantId();
        List<String> received = new ArrayList<>();

        try (KafkaEvents users = new KafkaEvents(kafka, "erp.identity.user.v1");
                KafkaEvents settings = new KafkaEvents(kafka, "erp.identity.tenant-settings.v1");
                KafkaEvents files = new KafkaEvents(kafka, "erp.files.file.v1");
                KafkaEvents checks = new KafkaEvents(kafka, "erp.checkin.worker-check-event.v1");
                KafkaEvents checkAudit = new KafkaEvents(kafka, "erp.checkin.audit.v1")) {

            // the demo admin signs in and looks around
            Api.Reply login = expect(200, "POST /v1/auth/login",
                    api.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials()));
            String admin = login.json().get("access_token").asString();
            expect(200, "GET /v1/me", api.get("/v1/me", admin));
            expect(200, "GET /v1/users", api.get("/v1/users", admin));

            // invites a worker, who sets a password from the mailed link (UserCreated)
            String workerEmail = Members.uniqueEmail("smoke-worker");
            Api.Reply created = expect(201, "POST /v1/users", Members.create(api, admin, workerEmail, "worker", true, "en"));
            String workerId = created.json().get("user_id").asString();
            String invitation = Mailbox.await(workerEmail, 1, Duration.ofSeconds(60)).get(0).token("/set-password");
            expect(200, "POST /v1/auth/password-reset/confirm", api.postJson("/v1/auth/password-reset/confirm", null,
                    Map.of("token", invitation, "new_password", Members.PASSWORD)));

            // the worker signs in, refreshes, forgets the password once, and signs out (UserSessionsEnded)
            Api.Reply workerLogin = expect(200, null,
                    api.postJson("/v1/auth/login", null, Map.of("email", workerEmail, "password", Members.PASSWORD)));
            Api.Reply refreshed = expect(200, "POST /v1/auth/refresh", api.postJson("/v1/auth/refresh", null,
                    Map.of("refresh_token", workerLogin.json().get("refresh_token").asString())));
            expect(202, "POST /v1/auth/password-reset/request",
                    api.postJson("/v1/auth/password-reset/request", null, Map.of("email", workerEmail)));
            expect(200, "POST /v1/auth/logout", api.postJson("/v1/auth/logout", null,
                    Map.of("refresh_token", refreshed.json().get("refresh_token").asString())));

            // another member is changed by the admin (UserUpdated, UserRoleChanged, UserStatusChanged)
            Api.Reply other = expect(201, null, Members.create(api, admin, Members.uniqueEmail("smoke-member"), "worker", true, "en"));
            String otherId = other.json().get("user_id").asString();
            expect(200, "PATCH /v1/users/{user_id}",
                    api.patchJson("/v1/users/" + otherId, admin, Map.of("language", "de"), Map.of()));
            expect(200, "PATCH /v1/users/{user_id}/role",
                    api.patchJson("/v1/users/" + otherId + "/role", admin, Map.of("role_type", "manager"), Map.of()));
            expect(200, "PATCH /v1/users/{user_id}/status",
                    api.patchJson("/v1/users/" + otherId + "/status", admin, Map.of("is_active", false), Map.of()));
            // and then erased (UserErased)
            expect(200, null, api.post("/v1/users/" + otherId + ":erase", admin, null, "", Map.of()));

            // tenant settings (TenantSettingsUpdated)
            Api.Reply current = expect(200, "GET /v1/tenant-settings", api.get("/v1/tenant-settings", admin));
            int window = current.json().get("settings").path("checkin_backdating_window_hours").asInt(72) == 48 ? 96 : 48;
            ObjectNode patch = Api.JSON.createObjectNode();
            patch.putObject("settings").put("checkin_backdating_window_hours", window);
            Api.Reply patched = expect(200, "PATCH /v1/tenant-settings",
                    api.patchJson("/v1/tenant-settings", admin, patch, Map.of("If-Match", current.header("ETag"))));
            // back to what it was: other tests of the suite record check-ins against acme's window
            ObjectNode restore = Api.JSON.createObjectNode();
            restore.putObject("settings").put("checkin_backdating_window_hours",
                    current.json().get("settings").path("checkin_backdating_window_hours").asInt(72));
            expect(200, null, api.patchJson("/v1/tenant-settings", admin, restore, Map.of("If-Match", patched.header("ETag"))));

            // a file: registered, put to the presigned URL, completed (FileUploaded), linked
            byte[] content = FilesIT.Content.bytes(4096, 7);
            Map<String, Object> registration = FilesIT.registration("smoke/" + UUID.randomUUID() + "/a1.pdf", "a1.pdf",
                    "application/pdf", content.length, FilesIT.Content.sha256(content));
            Api.Reply registered = expect(201, "POST /v1/files", api.postJson("/v1/files", admin, registration));
            String fileId = registered.json().get("file_id").asString();
            assertThat(put(registered.json().get("upload"), content)).isEqualTo(200);
            expect(200, null, api.post("/v1/files/" + fileId + ":complete", admin, null, "", Map.of()));
            expect(201, "POST /v1/files/{file_id}:link", api.postJson("/v1/files/" + fileId + ":link", admin,
                    Map.of("entity_type", "worker", "entity_id", workerId, "purpose", "a1_certificate")));

            // a check-in of the worker, once the check-in service knows it from identity's events (WorkerCheckEventRecorded)
            String mission = UUID.randomUUID().toString();
            java.util.concurrent.atomic.AtomicReference<String> checkInId = new java.util.concurrent.atomic.AtomicReference<>();
            Map<String, Object> checkIn = Map.of("worker_id", workerId, "event_type", "check_in",
                    "occurred_at", Instant.now().minusSeconds(60).toString(), "source", "web", "metadata", Map.of());
            org.awaitility.Awaitility.await("check-in to know worker " + workerId).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Api.Reply reply = api.postJson("/v1/missions/" + mission + "/worker-check-events", admin, checkIn);
                        checkInId.set(reply.status() == 201 ? reply.json().get("check_event_id").asString() : null);
                        return checkInId.get() != null;
                    });
            called.add("POST /v1/missions/{mission_id}/worker-check-events");
            // a forgotten check-out, corrected by the admin (WorkerCheckEventCorrected)
            expect(201, null, api.postJson("/v1/missions/" + mission + "/worker-check-events/" + checkInId.get() + ":correct", admin,
                    Map.of("kind", "supply_check_out", "occurred_at", Instant.now().minusSeconds(30).toString(),
                            "reason", "Forgot to check out")));

            assertThat(called).as("the smoke calls every seed route of contracts/openapi.yaml")
                    .isEqualTo(seedRoutes(repository.resolve("contracts/openapi.yaml")));

            received.addAll(types(users, Map.of(
                    "UserCreated", e -> workerId.equals(e.key()),
                    "UserSessionsEnded", e -> workerId.equals(e.key()),
                    "UserUpdated", e -> otherId.equals(e.key()),
                    "UserRoleChanged", e -> otherId.equals(e.key()),
                    "UserStatusChanged", e -> otherId.equals(e.key()),
                    "UserErased", e -> otherId.equals(e.key()))));
            received.addAll(types(settings, Map.of("TenantSettingsUpdated", e -> acmeId.equals(e.key())
                    && e.json().get("settings").path("checkin_backdating_window_hours").asInt() == window)));
            received.addAll(types(files, Map.of("FileUploaded", e -> fileId.equals(e.key()))));
            received.addAll(types(checks, Map.of("WorkerCheckEventRecorded", e -> (mission + ":" + workerId).equals(e.key()),
                    "WorkerCheckEventCorrected", e -> (mission + ":" + workerId).equals(e.key()))));
            // the check-in's audit record (decision 0025), keyed by tenant
            received.addAll(types(checkAudit, Map.of("AuditRecorded", e -> acmeId.equals(e.key())
                    && mission.equals(e.json().path("changes").path("mission_id").path("after").asString()))));
        }
        assertThat(new TreeSet<>(received)).as("every event type of contracts/events is read from Kafka")
                .isEqualTo(eventTypes(repository.resolve("contracts/events")));
    }

    /** Asserts the status, and counts the route as called when it is a seed route. */
    private Api.Reply expect(int status, String route, Api.Reply reply) {
        assertThat(reply.status()).as(route + ": " + reply.body()).isEqualTo(status);
        if (route != null) {
            called.add(route);
        }
        return reply;
    }

    /**
     * Reads the topic until one event of each wanted type matches (one pass: a record read is not read
     * again), each valid against its schema; answers the types found.
     */
    private static List<String> types(KafkaEvents topic, Map<String, Predicate<KafkaEvents.Event>> wanted) {
        Map<String, KafkaEvents.Event> found = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            topic.await(e -> {
                String type = e.headers().get("ce_type");
                Predicate<KafkaEvents.Event> match = type == null ? null : wanted.get(type);
                return match != null && !found.containsKey(type) && match.test(e) && found.put(type, e) == null;
            }, wanted.size(), EVENT_TIMEOUT);
        } catch (AssertionError e) {
            Set<String> missing = new TreeSet<>(wanted.keySet());
            missing.removeAll(found.keySet());
            throw new AssertionError("Not read from Kafka within " + EVENT_TIMEOUT + ": " + missing, e);
        }
        found.forEach((type, event) -> assertThat(KafkaEvents.violations(type, event.value())).as(type + " " + event.value()).isEmpty());
        return List.copyOf(found.keySet());
    }

    /** "METHOD /path" of every operation of the contract that is not an x-extension. */
    private static Set<String> seedRoutes(Path openapi) throws IOException {
        JsonNode paths = YAMLMapper.builder().build().readTree(openapi.toFile()).get("paths");
        Set<String> routes = new TreeSet<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(operation.getKey())
                    && !operation.getValue().path("x-extension").asBoolean(false)) {
                routes.add(operation.getKey().toUpperCase() + " " + path.getKey());
            }
        }));
        return routes;
    }

    private static Set<String> eventTypes(Path events) throws IOException {
        try (Stream<Path> schemas = Files.list(events)) {
            Set<String> types = new TreeSet<>();
            schemas.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .forEach(n -> types.add(n.substring(0, n.length() - ".schema.json".length())));
            return types;
        }
    }

    /** A plain PUT to the presigned URL with the headers the registration named, as a tenant app sends it. */
    private static int put(JsonNode upload, byte[] content) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        Map<String, String> headers = new LinkedHashMap<>();
        upload.get("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
        headers.forEach(put::header);
        return HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
