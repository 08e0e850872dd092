package eu.erpdetachement.checkin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.Parallel;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * The bound of a unit of work on JDBC (decision 0044): a check-in that waits on its chain's lock,
 * held elsewhere and never released, is cancelled at {@code erp.jdbc.timeout}, answers 504, writes
 * nothing and gives its connection back; one whose client went away stops waiting too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseBoundsIT {

    private static final TestTokens TOKENS = TestTokens.start();

    private final UUID tenant = UUID.randomUUID();
    private final UUID workerId = UUID.randomUUID();
    private final String manager = TOKENS.token(UUID.randomUUID(), tenant, "manager", null);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false");
        registry.add("erp.jdbc.timeout", () -> "2s");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    @BeforeEach
    void knownWorker() {
        TestPostgres.execute("""
                INSERT INTO checkin.caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of)
                VALUES (?, ?, 'worker', true, ?, now())""", UUID.randomUUID(), tenant, workerId);
    }

    private EntityExchangeResult<String> checkIn(UUID mission) {
        // the client's bound is for a slow, shared test machine, not a timed assertion
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/v1/missions/" + mission + "/worker-check-events")
                .header("Authorization", "Bearer " + manager).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"worker_id":"%s","event_type":"check_in","occurred_at":"%s","source":"mobile","metadata":{}}"""
                        .formatted(workerId, Instant.now().minusSeconds(60)))
                .exchange().expectBody(String.class).returnResult();
    }

    @Test
    void check_ins_stuck_behind_a_lock_never_released_are_cut_write_nothing_and_free_their_connections() throws Exception {
        UUID mission = UUID.randomUUID();
        try (Connection holder = TestPostgres.superuserConnection();
                PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            lock.setString(1, tenant + "/" + mission + "/" + workerId); // the chain's key (CheckEventStore.lockChain)
            lock.executeQuery().close();

            // more check-ins than the pool has connections: each waits for one, then on the lock, then is cut
            List<EntityExchangeResult<String>> stuck = Parallel.run(6, i -> checkIn(mission));

            assertThat(stuck).allSatisfy(result -> {
                assertThat(result.getStatus().value()).isEqualTo(504);
                assertThat(result.getResponseBody()).contains("upstream-timeout");
            });
            assertThat(TestPostgres.count("SELECT count(*) FROM checkin.worker_check_events WHERE mission_id = ?", mission)).isZero();
            assertThat(TestPostgres.count("SELECT count(*) FROM checkin.outbox WHERE payload->>'mission_id' = ?", mission.toString()))
                    .isZero();
            // the pool's connections came back: other chains are served while the lock is still held
            for (int i = 0; i < 5; i++) {
                assertThat(checkIn(UUID.randomUUID()).getStatus().value()).isEqualTo(201);
            }
        }
        // the holder's session ended, and its lock with it: the chain takes check-ins again
        assertThat(checkIn(mission).getStatus().value()).isEqualTo(201);
    }

    @Test
    void a_check_in_whose_client_went_away_stops_waiting_on_the_lock_and_writes_nothing() throws Exception {
        UUID mission = UUID.randomUUID();
        String waitingOnIt = "SELECT count(*) FROM pg_stat_activity WHERE usename = 'checkin_svc' AND wait_event_type = 'Lock'";
        try (Connection holder = TestPostgres.superuserConnection();
                PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
            lock.setString(1, tenant + "/" + mission + "/" + workerId);
            lock.executeQuery().close();

            // the client gives up while the check-in waits on the lock: its connection closes, the request is cancelled
            var impatient = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> impatient.post().uri("/v1/missions/" + mission + "/worker-check-events")
                    .header("Authorization", "Bearer " + manager).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("""
                            {"worker_id":"%s","event_type":"check_in","occurred_at":"%s","source":"mobile","metadata":{}}"""
                            .formatted(workerId, Instant.now().minusSeconds(60)))
                    .exchange()).hasMessageContaining("Timeout");

            // its session does not wait on the lock for ever (before the bound, its client's cancel interrupted
            // the unit's thread, which closed its socket and left the session waiting); the wait is awaited, not timed
            await().atMost(Duration.ofSeconds(60)).until(() -> TestPostgres.count(waitingOnIt) == 0);
            assertThat(TestPostgres.count("SELECT count(*) FROM checkin.worker_check_events WHERE mission_id = ?", mission)).isZero();
        }
    }
}
