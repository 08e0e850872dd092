package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.node.ObjectNode;

/**
 * A record the tenant-settings projections cannot read stops neither of them (decision 0020): it
 * goes to erp.identity.tenant-settings.v1.dlt, once per consumer group, and the next settings of
 * the same tenant (same key, so the same partition, behind the poison) are applied by the files and
 * check-in services. Uses tenant globex, whose settings no other test depends on.
 */
@ExtendWith(EmbeddedStack.class)
class ConsumerDeadLetterIT {

    private static final String TOPIC = "erp.identity.tenant-settings.v1";
    private static final String DEAD_LETTERS = TOPIC + ".dlt";
    private static final Set<String> GROUPS = Set.of("files-service-tenant-settings", "checkin-service-tenant-settings");

    private final Api api = EmbeddedStack.gateway();

    @Test
    void a_poison_record_is_dead_lettered_and_the_next_settings_are_applied() throws Exception {
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        String tenant = EmbeddedStack.GLOBEX_ADMIN.tenantId();
        String marker = UUID.randomUUID().toString();
        byte[] notJson = ("not json " + marker).getBytes(StandardCharsets.UTF_8);
        byte[] wrongShape = ("{\"poison\":\"" + marker + "\",\"settings\":[1,2],\"version\":\"x\"}").getBytes(StandardCharsets.UTF_8);

        try (KafkaEvents deadLetters = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), DEAD_LETTERS)) {
            publish(tenant, notJson);
            publish(tenant, wrongShape);
            patch(globex, 1000L, 1L);
            try {
                await("the files service to apply the settings behind the poison").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> registerFile(globex, 2000) == 422);
                await("the check-in service to apply the settings behind the poison").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> checkIn(globex, Duration.ofHours(2)) == 422);

                List<KafkaEvents.Event> dead = deadLetters.await(e -> e.value().contains(marker), 4, Duration.ofSeconds(60));
                assertThat(dead).allSatisfy(e -> {
                    assertThat(e.key()).isEqualTo(tenant);
                    assertThat(e.headers()).containsEntry("kafka_dlt-original-topic", TOPIC);
                    assertThat(e.headers().get("kafka_dlt-exception-fqcn")).isNotBlank();
                });
                for (byte[] poison : List.of(notJson, wrongShape)) {
                    String value = new String(poison, StandardCharsets.UTF_8);
                    assertThat(dead.stream().filter(e -> e.value().equals(value))
                            .map(e -> e.headers().get("kafka_dlt-original-consumer-group")).collect(Collectors.toSet()))
                            .as("each consumer group dead-letters it once: " + value).isEqualTo(GROUPS);
                }
                // what operators watch: the dead letters per group, the listener's timings, the consumer lag
                for (String service : List.of("files-service", "checkin-service")) {
                    String metrics = prometheus(service);
                    assertThat(metrics).as(service).contains("erp_kafka_consumer_dead_lettered_total{")
                            .contains("group=\"" + service + "-tenant-settings\"")
                            .contains("spring_kafka_listener_seconds_count{")
                            .contains("kafka_consumer_fetch_manager_records_lag_max{");
                }
            } finally {
                patch(globex, null, null); // merge patch null: back to the defaults
            }
        }
        await("the defaults to apply again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> registerFile(globex, 2000) == 201 && checkIn(globex, Duration.ofHours(2)) == 201);
    }

    private static String prometheus(String service) {
        try {
            HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(EmbeddedStack.stack().managementUrl(service) + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(service).isEqualTo(200);
            return reply.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Keyed by the tenant as the relay keys its settings: the same partition as the next real event. */
    private static void publish(String tenant, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.stack().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, tenant, value)).get();
        }
    }

    private void patch(String token, Long maxFileSize, Long windowHours) {
        Api.Reply current = api.get("/v1/tenant-settings", token);
        ObjectNode body = Api.JSON.createObjectNode();
        ObjectNode settings = body.putObject("settings");
        if (maxFileSize == null) {
            settings.putNull("file_max_size_bytes");
            settings.putNull("checkin_backdating_window_hours");
        } else {
            settings.put("file_max_size_bytes", maxFileSize);
            settings.put("checkin_backdating_window_hours", windowHours);
        }
        Api.Reply patched = api.patchJson("/v1/tenant-settings", token, body, Map.of("If-Match", current.header("ETag")));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    }

    private int registerFile(String token, long size) {
        return api.postJson("/v1/files", token, FilesIT.registration("dead-letter/" + UUID.randomUUID() + ".pdf", "f.pdf",
                "application/pdf", size, "f".repeat(64))).status();
    }

    private UUID worker;

    private int checkIn(String token, Duration ago) {
        if (worker == null) {
            worker = Members.workerKnownToCheckin(api, token);
        }
        return api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minus(ago).toString(), "source", "web", "metadata", Map.of())).status();
    }
}
