package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/**
 * One request followed from the tenant app to the Kafka consumer (decision 0021): the W3C trace
 * context a client sends reaches the record the relay publishes, and the request's log lines name
 * its request id and trace id.
 */
@ExtendWith(EmbeddedStack.class)
class TracePropagationIT {

    private static final String TOPIC = "erp.checkin.worker-check-event.v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Api api = EmbeddedStack.gateway();

    @Test
    void a_check_in_sent_under_a_trace_reaches_kafka_with_a_traceparent_of_the_same_trace() {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        UUID worker = Members.workerKnownToCheckin(api, token);
        String traceId = hex(16);

        Api.Reply created = api.post("/v1/missions/" + mission + "/worker-check-events", token, "application/json",
                Api.JSON.writeValueAsString(Map.of("worker_id", worker.toString(), "event_type", "check_in",
                        "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of())),
                Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-01"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            KafkaEvents.Event event = events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60)).get(0);
            assertThat(event.headers().get("traceparent")).as("traceparent header of the published record")
                    .matches("00-" + traceId + "-[0-9a-f]{16}-0[01]");
        }
    }

    @Test
    void a_check_in_sent_without_a_trace_is_published_under_the_trace_the_gateway_started() {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        UUID worker = Members.workerKnownToCheckin(api, token);

        Api.Reply created = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of()));
        assertThat(created.status()).isEqualTo(201);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            KafkaEvents.Event event = events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60)).get(0);
            assertThat(event.headers().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                    .doesNotStartWith("00-00000000000000000000000000000000");
        }
    }

    @Test
    void the_log_line_of_a_refused_sign_in_names_the_request_id_and_the_trace_id() {
        String requestId = "trace-it-" + UUID.randomUUID();
        String traceId = hex(16);

        Api.Reply refused = api.post("/v1/auth/login", null, "application/json",
                Api.JSON.writeValueAsString(Map.of("email", "nobody-" + UUID.randomUUID() + "@acme.test", "password", "Wrong-2026!")),
                Map.of("X-Request-Id", requestId, "traceparent", "00-" + traceId + "-" + hex(8) + "-01"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(refused.header("X-Request-Id")).isEqualTo(requestId);

        Path log = EmbeddedStack.stack().config().logs().resolve("identity-service.log");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> lines = linesNaming(log, requestId);
            assertThat(lines).as("identity-service.log lines with requestId " + requestId).isNotEmpty();
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.path("requestId").asString()).isEqualTo(requestId);
                assertThat(line.path("traceId").asString()).isEqualTo(traceId);
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asString()).startsWith("Sign-in refused"));
        });
    }

    private static List<JsonNode> linesNaming(Path log, String requestId) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.startsWith("{") && line.contains(requestId)).map(Api.JSON::readTree).toList();
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
