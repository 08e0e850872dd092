package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No event is stranded: rows that logical decoding will never deliver — written while their outbox
 * was not in the publication, or while the relay's slot did not exist — still reach Kafka through
 * the relay's recovery (decision 0018). The test stack runs it with a 10 s bound every 5 s.
 */
@ExtendWith(EmbeddedStack.class)
class OutboxRecoveryIT {

    private static final String TOPIC = "erp.checkin.worker-check-event.v1";

    private final Api api = EmbeddedStack.gateway();

    @Test
    void a_row_written_while_its_outbox_was_not_published_still_reaches_kafka() throws Exception {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID worker = Members.workerKnownToCheckin(api, token); // a check event names an active worker
        UUID mission = UUID.randomUUID();
        String stranded;
        // the first-start defect of the first wave: a table outside the publication is never decoded
        superuser("ALTER PUBLICATION erp_outbox DROP TABLE checkin.outbox");
        try {
            stranded = checkIn(token, mission, worker, Instant.now().minusSeconds(30));
        } finally {
            superuser("ALTER PUBLICATION erp_outbox ADD TABLE checkin.outbox");
        }

        // operators see it waiting, on the relay's own metrics
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(oldestUnpublishedAgeSeconds("checkin.outbox")).isGreaterThan(0));

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            var found = events.await(e -> e.json().get("check_event_id").asString().equals(stranded), 1, Duration.ofMinutes(2));
            assertThat(found.getFirst().headers()).containsEntry("ce_type", "WorkerCheckEventRecorded")
                    .containsEntry("ce_subject", mission + ":" + found.getFirst().json().get("worker_id").asString())
                    .containsKeys("ce_id", "ce_time", "ce_tenantid", "ce_source");
            assertThat(KafkaEvents.violations("WorkerCheckEventRecorded", found.getFirst().value())).isEmpty();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(oldestUnpublishedAgeSeconds("checkin.outbox")).isZero());
    }

    @Test
    void every_event_arrives_when_the_slot_is_dropped_while_services_write() throws Exception {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID worker = Members.workerKnownToCheckin(api, token);
        int chains = 10;
        int perChain = 30;
        Set<String> written = ConcurrentHashMap.newKeySet();
        AtomicInteger count = new AtomicInteger();
        Instant start = Instant.now().minus(Duration.ofHours(2));
        ExecutorService writers = Executors.newFixedThreadPool(chains);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < chains; c++) {
            UUID mission = UUID.randomUUID(); // one chain per mission of the same worker
            futures.add(writers.submit(() -> {
                for (int i = 0; i < perChain; i++) {
                    written.add(checkIn(token, mission, worker, start.plusSeconds(i * 60L), i % 2 == 0 ? "check_in" : "check_out"));
                    count.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> count.get() >= chains * perChain / 3);
        // a slot lost while services write: its walsender ended, the slot dropped before the relay is back
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(OutboxRecoveryIT::dropSlot);
        for (Future<?> future : futures) {
            future.get();
        }
        writers.shutdown();

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            Set<String> received = ConcurrentHashMap.newKeySet();
            events.await(e -> {
                String id = e.json().get("check_event_id").asString();
                return written.contains(id) && received.add(id);
            }, written.size(), Duration.ofMinutes(3));
        }
    }

    private String checkIn(String token, UUID mission, UUID worker, Instant at) {
        return checkIn(token, mission, worker, at, "check_in");
    }

    private String checkIn(String token, UUID mission, UUID worker, Instant at, String type) {
        Api.Reply reply = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", type, "occurred_at", at.toString(), "source", "api", "metadata", Map.of()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("check_event_id").asString();
    }

    /** Ends the relay's walsender and drops its slot; false when the relay got the slot back first. */
    private static boolean dropSlot() {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                    + "WHERE slot_name = 'erp_outbox' AND active_pid IS NOT NULL");
            s.execute("SELECT pg_drop_replication_slot('erp_outbox')");
            return true;
        } catch (SQLException stillActive) {
            return false;
        }
    }

    private static void superuser(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double oldestUnpublishedAgeSeconds(String table) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + EmbeddedStack.stack().config().relayManagementPort() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("erp_relay_outbox_oldest_unpublished_age_seconds\\{[^}]*table=\"" + Pattern.quote(table)
                + "\"[^}]*} (\\S+)").matcher(metrics);
        assertThat(m.find()).as("gauge for " + table + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
