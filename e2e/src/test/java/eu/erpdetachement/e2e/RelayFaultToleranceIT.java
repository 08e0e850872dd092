package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At-least-once delivery under faults: 4,000 check-ins are written through the gateway while the
 * relay process is killed with SIGKILL and restarted, and while the Kafka broker is restarted.
 * Every event must reach Kafka, each (mission, worker) chain in the order it was written;
 * duplicates are allowed (consumers dedupe on ce_id) but counted and reported.
 */
@ExtendWith(EmbeddedStack.class)
class RelayFaultToleranceIT {

    private static final String TOPIC = "erp.checkin.worker-check-event.v1";
    // 4,000 events (each with its audit record: 8,000 outbox rows) cross both faults; 10,000 took 4.5 min of the suite
    private static final int CHAINS = 80;
    private static final int EVENTS_PER_CHAIN = 50;
    private static final int TOTAL = CHAINS * EVENTS_PER_CHAIN;

    private final Api api = EmbeddedStack.gateway();

    @Test
    void every_event_arrives_in_order_per_chain_through_a_relay_crash_and_a_broker_restart() throws Exception {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        Map<String, List<String>> written = new ConcurrentHashMap<>(); // chain key -> check_event_ids in write order
        AtomicInteger count = new AtomicInteger();
        Instant start = Instant.now().minus(Duration.ofHours(2));

        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<?>> chains = new ArrayList<>();
        UUID worker = Members.workerKnownToCheckin(api, token); // a worker_id must name an active worker
        for (int c = 0; c < CHAINS; c++) {
            UUID chainMission = UUID.randomUUID(); // one chain per mission of the same worker
            String key = chainMission + ":" + worker;
            written.put(key, new ArrayList<>());
            chains.add(writers.submit(() -> {
                String current = token;
                for (int i = 0; i < EVENTS_PER_CHAIN; i++) {
                    Map<String, Object> body = Map.of("worker_id", worker.toString(),
                            "event_type", i % 2 == 0 ? "check_in" : "check_out",
                            "occurred_at", start.plusSeconds(i * 60L).toString(), "source", "api", "metadata", Map.of("n", i));
                    Api.Reply reply = api.postJson("/v1/missions/" + chainMission + "/worker-check-events", current, body);
                    if (reply.status() == 401) { // the 5-minute access token expired during the run
                        current = EmbeddedStack.ACME_ADMIN.signIn(api);
                        reply = api.postJson("/v1/missions/" + chainMission + "/worker-check-events", current, body);
                    }
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    written.get(key).add(reply.json().get("check_event_id").asString());
                    count.incrementAndGet();
                }
                return null;
            }));
        }

        // faults while the events are being written
        awaitCount(count, TOTAL / 5);
        EmbeddedStack.stack().process("outbox-relay").kill();
        awaitCount(count, TOTAL * 2 / 5);
        EmbeddedStack.stack().restartService("outbox-relay");
        awaitCount(count, TOTAL * 3 / 5);
        EmbeddedStack.stack().restartKafka();
        for (Future<?> chain : chains) {
            chain.get();
        }
        writers.shutdown();
        assertThat(count.get()).isEqualTo(TOTAL);

        Map<String, List<String>> received = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            Set<String> distinct = new LinkedHashSet<>();
            events.await(e -> {
                if (!written.containsKey(e.key())) {
                    return false;
                }
                String id = e.headers().get("ce_id");
                seen.merge(id, 1, Integer::sum);
                if (distinct.add(e.json().get("check_event_id").asString())) {
                    received.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.json().get("check_event_id").asString());
                    return true;
                }
                return false;
            }, TOTAL, Duration.ofMinutes(5));
        }

        int duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
        String report = "events written: " + TOTAL + "\ndistinct events received: " + received.values().stream()
                .mapToInt(List::size).sum() + "\nduplicate deliveries: " + duplicates + "\n";
        Files.writeString(Path.of("target", "relay-fault-report.txt"), report);
        System.out.println("Relay fault test: " + report.replace('\n', ' '));

        for (var chain : written.entrySet()) {
            assertThat(received.get(chain.getKey())).as("order of chain " + chain.getKey()).isEqualTo(chain.getValue());
        }
    }

    private static void awaitCount(AtomicInteger count, int atLeast) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (count.get() < atLeast) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Writers stalled at " + count.get());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50); // polling the writers' progress
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
