package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.devstack.Devstack;
import eu.erpdetachement.devstack.DevstackConfig;
import eu.erpdetachement.devstack.RunningStack;
import tools.jackson.databind.node.ObjectNode;

/**
 * The first start of the devstack lost every identity and files event: the relay had shaped its
 * publication before those services had created their outboxes. This test starts a stack of its
 * own on an empty database and starts the parts in the orders that went wrong (decision 0018):
 * the relay before any service has migrated; a service that first migrates while no relay runs;
 * the relay starting while services write. Every event of every type must reach Kafka.
 */
class RelayStartOrderIT {

    private static final int OWN_PORT_SHIFT = 300; // beside the shared test stack, ports that never meet

    @Test
    void every_event_type_arrives_whatever_the_start_order_on_an_empty_database() throws Exception {
        Path data = Path.of("target", "e2e-start-order").toAbsolutePath();
        deleteRecursively(data);
        DevstackConfig config = DevstackConfig.forTests(data, EmbeddedStack.PORT_OFFSET + OWN_PORT_SHIFT)
                .withholding(Set.of("identity-service", "files-service", "checkin-service", "gateway"));
        try (RunningStack stack = Devstack.start(config)) {
            Api api = new Api(stack.gatewayUrl());
            Map<String, Predicate<KafkaEvents.Event>> expected = new ConcurrentHashMap<>();

            // 1. the relay first, on an empty database: no service has created its outbox yet
            assertThat(stack.process("outbox-relay").isAlive()).isTrue();
            stack.startService("identity-service");
            stack.startService("checkin-service");
            stack.startService("gateway");
            String token = await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> EmbeddedStack.ACME_ADMIN.signIn(api), t -> t != null);
            UUID worker = Members.workerKnownToCheckin(api, token); // check events name an active worker
            String userId = createWorker(api, token);
            expect(expected, "UserCreated", e -> userId.equals(e.json().path("user_id").asString()));
            assertThat(api.patchJson("/v1/users/" + userId + "/role", token, Map.of("role_type", "manager"), Map.of()).status())
                    .isEqualTo(200);
            expect(expected, "UserRoleChanged", e -> userId.equals(e.json().path("user_id").asString()));
            long version = patchSettings(api, token);
            expect(expected, "TenantSettingsUpdated", e -> e.json().path("version").asLong() == version);
            String checkEvent = checkIn(api, token, worker, 0);
            expect(expected, "WorkerCheckEventRecorded " + checkEvent, e -> checkEvent.equals(e.json().path("check_event_id").asString()));

            // 2. the relay gone; a service migrates and writes for the first time while no relay runs
            stack.process("outbox-relay").kill();
            stack.startService("files-service");
            byte[] content = FilesIT.Content.bytes(4096, 7);
            Api.Reply uploaded = FilesIT.Multipart.post(api, token, FilesIT.registration("start-order/" + UUID.randomUUID()
                    + "/a.pdf", "a.pdf", "application/pdf", content.length, FilesIT.Content.sha256(content)),
                    () -> new java.io.ByteArrayInputStream(content));
            assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
            String fileId = uploaded.json().get("file_id").asString();
            expect(expected, "FileUploaded", e -> fileId.equals(e.json().path("file_id").asString()));

            // 3. the relay starts again while the services write
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (writing.get() || n < 5) {
                    String id = checkIn(api, token, worker, n++);
                    expect(expected, "WorkerCheckEventRecorded " + id, e -> id.equals(e.json().path("check_event_id").asString()));
                }
                return n;
            });
            stack.startService("outbox-relay");
            writing.set(false);
            assertThat(writer.get()).isGreaterThanOrEqualTo(5);

            awaitAll(stack, expected);
        }
    }

    private static void awaitAll(RunningStack stack, Map<String, Predicate<KafkaEvents.Event>> expected) {
        Map<String, String> topics = Map.of("UserCreated", "erp.identity.user.v1", "UserRoleChanged", "erp.identity.user.v1",
                "TenantSettingsUpdated", "erp.identity.tenant-settings.v1", "FileUploaded", "erp.files.file.v1",
                "WorkerCheckEventRecorded", "erp.checkin.worker-check-event.v1");
        for (String topic : Set.copyOf(topics.values())) {
            Map<String, Predicate<KafkaEvents.Event>> wanted = new ConcurrentHashMap<>();
            expected.forEach((name, match) -> {
                if (topics.get(name.split(" ")[0]).equals(topic)) {
                    wanted.put(name, match);
                }
            });
            try (KafkaEvents events = new KafkaEvents(stack.kafkaBootstrap(), topic)) {
                Set<String> found = ConcurrentHashMap.newKeySet();
                events.await(e -> wanted.entrySet().stream().anyMatch(w -> e.headers().get("ce_type").equals(w.getKey().split(" ")[0])
                        && w.getValue().test(e) && found.add(w.getKey())), wanted.size(), Duration.ofMinutes(2));
            }
        }
    }

    private static void expect(Map<String, Predicate<KafkaEvents.Event>> expected, String name, Predicate<KafkaEvents.Event> match) {
        expected.put(name, match);
    }

    private static String createWorker(Api api, String token) {
        Api.Reply created = Members.create(api, token, Members.uniqueEmail("start-order"), "worker", true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("user_id").asString();
    }

    private static long patchSettings(Api api, String token) {
        Api.Reply current = api.get("/v1/tenant-settings", token);
        ObjectNode patch = Api.JSON.createObjectNode();
        patch.putObject("settings").put("checkin_backdating_window_hours", 96);
        Api.Reply patched = api.patchJson("/v1/tenant-settings", token, patch, Map.of("If-Match", current.header("ETag")));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        return Long.parseLong(patched.header("ETag").replace("\"", ""));
    }

    private static String checkIn(Api api, String token, UUID worker, int n) {
        Api.Reply reply = api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(3600 - n).toString(), "source", "api", "metadata", Map.of()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("check_event_id").asString();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
