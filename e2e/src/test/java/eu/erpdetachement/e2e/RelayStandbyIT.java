package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.devstack.ChildProcess;
import eu.erpdetachement.devstack.RunningStack;

/** One relay publishes at a time; a standby takes over when it dies; published rows are cleaned up. */
@ExtendWith(EmbeddedStack.class)
class RelayStandbyIT {

    private static final String TOPIC = "erp.checkin.worker-check-event.v1";
    private final Api api = EmbeddedStack.gateway();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_standby_relay_waits_then_takes_over_when_the_active_one_is_killed() throws Exception {
        int standbyPort = EmbeddedStack.stack().config().relayPort() + 100;
        int standbyManagementPort = EmbeddedStack.stack().config().relayManagementPort() + 100;
        ChildProcess standby = EmbeddedStack.stack().startExtraInstance("outbox-relay", standbyPort, standbyManagementPort,
                "outbox-relay-standby");
        try {
            assertThat(relayState(standbyManagementPort)).isEqualTo("standby");
            assertThat(relayState(EmbeddedStack.stack().config().relayManagementPort())).isEqualTo("active");

            EmbeddedStack.stack().process("outbox-relay").kill();
            await("the standby to become active", () -> "active".equals(relayState(standbyManagementPort)));

            UUID mission = UUID.randomUUID();
            String token = EmbeddedStack.ACME_ADMIN.signIn(api);
            UUID worker = Members.workerKnownToCheckin(api, token);
            Api.Reply created = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                    "worker_id", worker.toString(), "event_type", "check_in",
                    "occurred_at", Instant.now().minusSeconds(10).toString(), "source", "badge", "metadata", Map.of()));
            assertThat(created.status()).isEqualTo(201);
            try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
                events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60));
            }
            await("the published outbox row to be deleted", () -> outboxRows(mission) == 0);
        } finally {
            standby.kill();
            EmbeddedStack.stack().restartService("outbox-relay");
        }
    }

    @Test
    void a_standby_takes_over_when_the_active_relay_is_cut_off_from_the_database_not_killed() throws Exception {
        RunningStack stack = EmbeddedStack.stack();
        int cutOffPort = stack.config().relayPort() + 101;
        int cutOffManagementPort = stack.config().relayManagementPort() + 101;
        int standbyPort = stack.config().relayPort() + 102;
        int standbyManagementPort = stack.config().relayManagementPort() + 102;
        ChildProcess cutOff = null;
        ChildProcess standby = null;
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID worker = Members.workerKnownToCheckin(api, token); // known to check-in before the relay changes hands
        stack.process("outbox-relay").kill();
        try (FreezableTcpProxy proxy = new FreezableTcpProxy(stack.config().postgresPort())) {
            cutOff = stack.startExtraInstance("outbox-relay", cutOffPort, cutOffManagementPort, "outbox-relay-cut-off",
                    Map.of("ERP_DB_PORT", Integer.toString(proxy.port())));
            await("the relay behind the proxy to become active", () -> "active".equals(relayState(cutOffManagementPort)));
            standby = stack.startExtraInstance("outbox-relay", standbyPort, standbyManagementPort, "outbox-relay-standby-2");
            assertThat(relayState(standbyManagementPort)).isEqualTo("standby");

            // its host cut off: PostgreSQL keeps its session and lock, nothing is closed
            proxy.freeze();
            Instant frozenAt = Instant.now();
            await("the standby to take over", () -> "active".equals(relayState(standbyManagementPort)));
            Duration takeover = Duration.between(frozenAt, Instant.now());
            Files.writeString(Path.of("target", "relay-takeover.txt"), "takeover after the active relay was cut off: "
                    + takeover.toMillis() + " ms\n");
            System.out.println("Relay takeover after a network cut: " + takeover.toMillis() + " ms");

            UUID mission = UUID.randomUUID();
            Api.Reply created = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                    "worker_id", worker.toString(), "event_type", "check_in",
                    "occurred_at", Instant.now().minusSeconds(10).toString(), "source", "badge", "metadata", Map.of()));
            assertThat(created.status()).isEqualTo(201);
            try (KafkaEvents events = new KafkaEvents(stack.kafkaBootstrap(), TOPIC)) {
                events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60));
            }
        } finally {
            if (standby != null) {
                standby.kill();
            }
            if (cutOff != null) {
                cutOff.kill();
            }
            stack.restartService("outbox-relay");
        }
    }

    /** The relay's state from its health, on its management port. */
    private String relayState(int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.body().replaceAll("(?s).*\"state\":\"([a-z]+)\".*", "$1");
        } catch (Exception e) {
            return "unreachable";
        }
    }

    private static long outboxRows(UUID mission) {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM checkin.outbox WHERE payload->>'mission_id' = ?")) {
            q.setString(1, mission.toString());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(250); // polling the condition
        }
    }
}
